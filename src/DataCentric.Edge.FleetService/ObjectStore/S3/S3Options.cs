using Amazon.Runtime;

namespace DataCentric.Edge.FleetService.ObjectStore.S3;

/// <summary>
/// S3-compatible object storage (AWS S3, or a server of the same API). Credentials come from
/// <see cref="AccessKeyId"/> with <see cref="SecretAccessKey"/> or <see cref="SecretAccessKeyFile"/>
/// (any configuration source, environment variables such as <c>ObjectStore__S3__SecretAccessKey</c>
/// included), or else from the AWS SDK's own chain (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>,
/// the shared credentials file, an instance role). <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class S3Options
{
    /// <summary>S3's smallest part other than the last.</summary>
    public const int MinPartBytes = 5 * 1024 * 1024;

    /// <summary>The largest part this store sends (S3 allows 5 GiB; one part is held in memory).</summary>
    public const int MaxPartBytes = 512 * 1024 * 1024;

    /// <summary>The server, e.g. <c>http://127.0.0.1:4568</c>; null for AWS S3 in <see cref="Region"/>.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>The region requests are signed for (and the AWS endpoint when <see cref="ServiceUrl"/> is null).</summary>
    public string Region { get; set; } = "us-east-1";

    public string Bucket { get; set; } = string.Empty;

    /// <summary><c>{server}/{bucket}/{key}</c> instead of <c>{bucket}.{server}/{key}</c>: what most S3-compatible servers need.</summary>
    public bool ForcePathStyle { get; set; }

    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    /// <summary>A file that holds the secret key (a mounted secret); read at start, surrounding white space trimmed.</summary>
    public string? SecretAccessKeyFile { get; set; }

    /// <summary>
    /// When the SDK adds a checksum to a request. <c>WHEN_REQUIRED</c> for servers that do not
    /// understand the newer trailing checksums (s3rver stored them inside the object); AWS accepts either.
    /// </summary>
    public RequestChecksumCalculation RequestChecksumCalculation { get; set; } = RequestChecksumCalculation.WHEN_SUPPORTED;

    /// <summary>
    /// Sends bodies with aws-chunked encoding (the SDK's default). <c>false</c> for servers that
    /// store the chunk framing as part of the object (s3rver).
    /// </summary>
    public bool UseChunkEncoding { get; set; } = true;

    /// <summary>
    /// The size of the multipart parts (the last may be smaller). An object no larger goes up in
    /// one PUT. One part's buffer is held per upload in progress.
    /// </summary>
    public int PartBytes { get; set; } = 8 * 1024 * 1024;

    public override string ToString() =>
        $"bucket '{Bucket}' at {(ServiceUrl?.ToString() ?? $"AWS {Region}")}, path style {ForcePathStyle}, " +
        $"credentials {(AccessKeyId is null ? "from the AWS SDK's chain" : $"of access key {AccessKeyId}")}, " +
        $"checksums {RequestChecksumCalculation}, chunk encoding {UseChunkEncoding}, parts of {PartBytes} bytes";
}

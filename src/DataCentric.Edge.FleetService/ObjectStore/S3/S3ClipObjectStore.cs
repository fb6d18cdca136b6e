using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.FleetService.ObjectStore.S3;

/// <summary>Clip objects in an S3 bucket (AWS, or an S3-compatible server) through AWSSDK.S3.</summary>
/// <remarks>
/// An aborted or failed multipart upload is aborted on the server; one the process did not live to
/// abort is removed by the bucket's lifecycle rule for incomplete multipart uploads (set one).
/// </remarks>
public sealed class S3ClipObjectStore : IClipObjectStore
{
    private readonly IAmazonS3 _client;
    private readonly S3Options _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<S3ClipObjectStore> _logger;

    public S3ClipObjectStore(IAmazonS3 client, S3Options options, TimeProvider timeProvider, ILogger<S3ClipObjectStore> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PartBytes, S3Options.MinPartBytes, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Bucket, nameof(options));
        _client = client;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public Task<IClipUpload> BeginUploadAsync(string key, ClipObjectMetadata metadata, CancellationToken cancellationToken)
    {
        // The multipart upload starts with the first full part: a small clip needs one request.
        return Task.FromResult<IClipUpload>(new S3ClipUpload(_client, _options, key, metadata, _logger));
    }

    public Task<ClipDigest> PutAsync(string key, Stream content, ClipObjectMetadata metadata, CancellationToken cancellationToken) =>
        this.PutThroughUploadAsync(key, content, metadata, cancellationToken);

    public async Task<ClipObjectContent?> OpenReadAsync(string key, ClipByteRange? range, CancellationToken cancellationToken)
    {
        ClipObjectKeys.Validate(key);
        var request = new GetObjectRequest { BucketName = _options.Bucket, Key = key };
        if (range is { } r)
        {
            request.ByteRange = r.Length is { } length ? new ByteRange(r.Offset, r.Offset + length - 1) : new ByteRange($"bytes={r.Offset}-");
        }

        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && range is { } unsatisfiable)
        {
            var head = await HeadAsync(key, cancellationToken).ConfigureAwait(false);
            if (head is null)
            {
                return null;
            }

            throw new ClipRangeNotSatisfiableException(key, unsatisfiable, head.Length, e);
        }

        try
        {
            return Content(key, range, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<ClipObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        ClipObjectKeys.Validate(key);
        try
        {
            var response = await _client.GetObjectMetadataAsync(
                new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
            return new ClipObjectInfo(key, response.ContentLength, LastModified(response.LastModified), Metadata(response.Metadata));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // A HEAD has no body: a missing bucket also reads as 404 here (CheckBucketAsync tells them apart at start).
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        ClipObjectKeys.Validate(key);
        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken)
    {
        ClipObjectKeys.Validate(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validFor, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(validFor, TimeSpan.FromDays(7)); // SigV4's longest.
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _options.Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = _timeProvider.GetUtcNow().Add(validFor).UtcDateTime,
            Protocol = _options.ServiceUrl?.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS,
        };
        var url = await _client.GetPreSignedURLAsync(request).ConfigureAwait(false);
        return new Uri(url);
    }

    /// <summary>Fails clearly when the bucket is missing or the credentials are refused (for the service's start).</summary>
    public async Task CheckBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.HeadBucketAsync(new HeadBucketRequest { BucketName = _options.Bucket }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e)
        {
            throw new InvalidOperationException($"The object store is not usable: {_options}: {(int)e.StatusCode} {e.ErrorCode} {e.Message}", e);
        }
    }

    public override string ToString() => $"S3 {_options}";

    /// <summary>
    /// The response as the contract has it: exactly the bytes asked for. A server that sends more
    /// than the range (s3rver 3.7.1 reads <c>bytes=0-0</c> as the whole object) is cut to it; one
    /// that starts elsewhere is an error, not silently wrong bytes.
    /// </summary>
    private static ClipObjectContent Content(string key, ClipByteRange? range, GetObjectResponse response)
    {
        var info = new ClipObjectInfo(key, response.ContentLength, LastModified(response.LastModified), Metadata(response.Metadata));
        if (range is not { } r)
        {
            return new ClipObjectContent(response.ResponseStream, 0, response.ContentLength, info);
        }

        var (offset, total) = ParseContentRange(response.ContentRange) ?? (0, response.ContentLength);
        info = info with { Length = total };
        var (wantedOffset, wantedLength) = r.Resolve(key, total);
        if (offset != wantedOffset || response.ContentLength < wantedLength)
        {
            throw new InvalidDataException($"{key}: asked the server for {r}, it answered {response.ContentRange ?? "the whole object"} ({response.ContentLength} bytes)");
        }

        var content = response.ContentLength == wantedLength ? response.ResponseStream : new BoundedReadStream(response.ResponseStream, wantedLength);
        return new ClipObjectContent(content, offset, wantedLength, info);
    }

    /// <summary><c>bytes first-last/total</c> → (first, total).</summary>
    internal static (long Offset, long Total)? ParseContentRange(string? contentRange)
    {
        if (contentRange is null || !contentRange.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var span = contentRange.AsSpan(6);
        var dash = span.IndexOf('-');
        var slash = span.IndexOf('/');
        if (dash <= 0 || slash <= dash
            || !long.TryParse(span[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(span[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var total))
        {
            return null;
        }

        return (first, total);
    }

    private static ClipObjectMetadata Metadata(MetadataCollection metadata) => ClipObjectMetadata.FromHeaders(name => metadata[name]);

    private static DateTimeOffset LastModified(DateTime? lastModified) =>
        lastModified is { } t ? new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue;
}

using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace DataCentric.Edge.FleetService.ObjectStore.S3;

/// <summary>Makes the SDK client the options describe, the two compatibility settings included.</summary>
public static class S3ClientFactory
{
    public static AmazonS3Client Create(S3Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = options.RequestChecksumCalculation,
        };
        if (options.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return Credentials(options) is { } credentials ? new AmazonS3Client(credentials, config) : new AmazonS3Client(config);
    }

    /// <summary>The configured key pair, or null to let the SDK find credentials on its own.</summary>
    private static BasicAWSCredentials? Credentials(S3Options options)
    {
        if (string.IsNullOrEmpty(options.AccessKeyId))
        {
            return null;
        }

        var secret = options.SecretAccessKeyFile is { Length: > 0 } file ? File.ReadAllText(file).Trim() : options.SecretAccessKey;
        if (string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException($"{ObjectStoreOptions.SectionName}:S3: access key {options.AccessKeyId} has no secret key (SecretAccessKey or SecretAccessKeyFile).");
        }

        return new BasicAWSCredentials(options.AccessKeyId, secret);
    }
}

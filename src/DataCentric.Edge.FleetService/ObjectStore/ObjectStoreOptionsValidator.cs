using DataCentric.Edge.FleetService.ObjectStore.S3;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>Checks the whole section at start and reports every problem at once.</summary>
public sealed class ObjectStoreOptionsValidator : IValidateOptions<ObjectStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, ObjectStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        try
        {
            ClipObjectKeys.ValidatePrefix(options.KeyPrefix, nameof(options.KeyPrefix));
        }
        catch (ArgumentException e)
        {
            errors.Add($"{ObjectStoreOptions.SectionName}:{nameof(options.KeyPrefix)}: {e.Message}");
        }

        if (options.Kind == ObjectStoreKind.Directory && string.IsNullOrWhiteSpace(options.Directory))
        {
            errors.Add($"{ObjectStoreOptions.SectionName}:{nameof(options.Directory)} is required for the directory store.");
        }

        if (options.Kind == ObjectStoreKind.S3)
        {
            ValidateS3(options.S3, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateS3(S3Options s3, List<string> errors)
    {
        var section = $"{ObjectStoreOptions.SectionName}:{nameof(ObjectStoreOptions.S3)}";
        if (string.IsNullOrWhiteSpace(s3.Bucket))
        {
            errors.Add($"{section}:{nameof(s3.Bucket)} is required.");
        }

        if (string.IsNullOrWhiteSpace(s3.Region))
        {
            errors.Add($"{section}:{nameof(s3.Region)} is required (the region requests are signed for).");
        }

        if (s3.ServiceUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{section}:{nameof(s3.ServiceUrl)} must be an absolute http or https URL.");
        }

        if (s3.PartBytes is < S3Options.MinPartBytes or > S3Options.MaxPartBytes)
        {
            errors.Add($"{section}:{nameof(s3.PartBytes)} must be from {S3Options.MinPartBytes} (S3's smallest part) to {S3Options.MaxPartBytes}.");
        }

        var hasSecret = !string.IsNullOrEmpty(s3.SecretAccessKey) || !string.IsNullOrEmpty(s3.SecretAccessKeyFile);
        if (string.IsNullOrEmpty(s3.AccessKeyId) == hasSecret)
        {
            errors.Add($"{section}: give {nameof(s3.AccessKeyId)} with {nameof(s3.SecretAccessKey)} or {nameof(s3.SecretAccessKeyFile)}, or neither (the AWS SDK's credential chain).");
        }

        if (!string.IsNullOrEmpty(s3.SecretAccessKey) && !string.IsNullOrEmpty(s3.SecretAccessKeyFile))
        {
            errors.Add($"{section}: give {nameof(s3.SecretAccessKey)} or {nameof(s3.SecretAccessKeyFile)}, not both.");
        }

        if (s3.SecretAccessKeyFile is { Length: > 0 } file && !File.Exists(file))
        {
            errors.Add($"{section}:{nameof(s3.SecretAccessKeyFile)}: no file {file}.");
        }
    }
}

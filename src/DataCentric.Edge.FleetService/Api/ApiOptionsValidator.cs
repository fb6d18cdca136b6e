using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>Checked at start (ValidateOnStart): every problem of the section at once, naming the entry; never a token.</summary>
internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public const int MinTokenLength = 16;
    public const int MinLinkKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = ApiOptions.SectionName;
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Tokens.Count; i++)
        {
            var token = options.Tokens[i];
            var at = $"{S}:Tokens:{i}";
            if (string.IsNullOrWhiteSpace(token.Name))
            {
                errors.Add($"{at}:Name: required (it names the caller in logs).");
            }
            else if (!names.Add(token.Name))
            {
                errors.Add($"{at}:Name: '{token.Name}' is used by another token.");
            }

            if (!Enum.IsDefined(token.Role))
            {
                errors.Add($"{at}:Role: '{token.Role}' is not a role (viewer or operator).");
            }

            errors.AddRange(TokenSourceErrors(token, at));
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || origin.EndsWith('/'))
            {
                errors.Add($"{S}:AllowedOrigins: '{origin}' is not an origin (scheme://host[:port], no path or trailing '/').");
            }
        }

        if (options.LinkValidFor <= TimeSpan.Zero || options.LinkValidFor > TimeSpan.FromDays(7))
        {
            errors.Add($"{S}:LinkValidFor: {options.LinkValidFor} must be positive and at most 7 days.");
        }

        if (options.LinkKeyFile is { } keyFile && (!File.Exists(keyFile) || new FileInfo(keyFile).Length < MinLinkKeyBytes))
        {
            errors.Add($"{S}:LinkKeyFile: '{keyFile}' must exist and hold at least {MinLinkKeyBytes} bytes (e.g. head -c 32 /dev/urandom).");
        }

        if (options.PublicUrl is { } publicUrl && !IsHttpUrl(publicUrl))
        {
            errors.Add($"{S}:PublicUrl: '{publicUrl}' is not an absolute http(s) URL.");
        }

        if (!IsHttpUrl(options.FoxgloveUrl))
        {
            errors.Add($"{S}:FoxgloveUrl: '{options.FoxgloveUrl}' is not an absolute http(s) URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static IEnumerable<string> TokenSourceErrors(ApiTokenOptions token, string at)
    {
        if ((token.TokenSha256 is null) == (token.TokenFile is null))
        {
            yield return $"{at}: give exactly one of TokenSha256 and TokenFile.";
            yield break;
        }

        if (token.TokenSha256 is { } sha && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit)))
        {
            yield return $"{at}:TokenSha256: not a SHA-256 (64 hex digits; printf %s \"$TOKEN\" | sha256sum).";
        }

        if (token.TokenFile is { } file)
        {
            if (!File.Exists(file))
            {
                yield return $"{at}:TokenFile: '{file}' does not exist.";
            }
            else if (ApiTokens.ReadTokenFile(file).Length < MinTokenLength)
            {
                yield return $"{at}:TokenFile: the token in '{file}' is shorter than {MinTokenLength} characters.";
            }
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}

using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>Checked at start: every problem of the section at once, naming the key.</summary>
internal sealed class ConsoleModelOptionsValidator : IValidateOptions<ConsoleModelOptions>
{
    /// <summary>The most one upload may carry: an edge model past 4 GiB does not fit the boards either.</summary>
    public const long MostModelBytes = 4L << 30;

    public ValidateOptionsResult Validate(string? name, ConsoleModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = ConsoleModelOptions.SectionName;
        var errors = new List<string>();
        if (options.UploadDirectory is { } dir && string.IsNullOrWhiteSpace(dir))
        {
            errors.Add($"{S}:UploadDirectory: empty; leave it out for the system temp folder.");
        }

        if (options.MaxModelBytes is < 1 or > MostModelBytes)
        {
            errors.Add($"{S}:MaxModelBytes: {options.MaxModelBytes} is outside 1 to {MostModelBytes}.");
        }

        if (options.ProposalLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{S}:ProposalLifetime: {options.ProposalLifetime} must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>Checked at start: every problem of the section at once, naming the key.</summary>
internal sealed class ConsoleTriggerOptionsValidator : IValidateOptions<ConsoleTriggerOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleTriggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = ConsoleTriggerOptions.SectionName;
        var errors = new List<string>();
        if (options.BoardSignalsDirectory is { } dir && !Directory.Exists(dir))
        {
            errors.Add($"{S}:BoardSignalsDirectory: '{dir}' is not a directory.");
        }

        if (options.BacktestQueueCapacity is < 1 or > 1000)
        {
            errors.Add($"{S}:BacktestQueueCapacity: {options.BacktestQueueCapacity} is outside 1 to 1000.");
        }

        if (options.MaxBacktestClips is < 1 or > 10_000)
        {
            errors.Add($"{S}:MaxBacktestClips: {options.MaxBacktestClips} is outside 1 to 10000.");
        }

        if (options.MaxProposals is < 1 or > 100_000)
        {
            errors.Add($"{S}:MaxProposals: {options.MaxProposals} is outside 1 to 100000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

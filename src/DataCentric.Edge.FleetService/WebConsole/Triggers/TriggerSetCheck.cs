using DataCentric.Edge.Core.Triggers;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>
/// A set checked the way <c>edgectl triggers validate</c> checks it: Core's <see cref="TriggerSetCompiler"/>
/// against the chosen device's signals, every error with its line:col; without a device, an unknown signal
/// cannot be called wrong, so those are warnings and everything else is still checked.
/// </summary>
internal static class TriggerSetCheck
{
    public static (TriggerValidation Validation, CompiledTriggerSet? Set) Run(string source, TriggerSourceFormat format, KnownSignals known)
    {
        var result = TriggerSetCompiler.Compile(source, format, known.Signals);
        var errors = known.Given || result.Succeeded ? result.Errors : [.. result.Errors.Where(e => e.UnknownSignal is null)];
        var warnings = known.Given || result.Succeeded ? [] : result.Errors.Where(e => e.UnknownSignal is not null);
        var validation = new TriggerValidation(
            errors.Count == 0,
            result.Set?.Version,
            known.From,
            known.Signals.Count,
            [.. errors.Select(ToConsole)],
            [.. warnings.Select(ToConsole)],
            result.Set is { } set ? Summaries(set) : []);
        return (validation, result.Set);
    }

    public static IReadOnlyList<ConsoleTriggerSummary> Summaries(CompiledTriggerSet set) =>
        [.. set.Triggers.Select(t => new ConsoleTriggerSummary(t.Id, t.Expression, t.MaxPerHour, t.MaxBytesPerDay, t.Pre.TotalSeconds, t.Post.TotalSeconds, t.DryRun, t.Enabled))];

    private static ConsoleDiagnostic ToConsole(TriggerDiagnostic d) =>
        new(d.Line, d.Column, d.TriggerId, d.Field, d.Message, d.Suggestion, d.ToString());
}

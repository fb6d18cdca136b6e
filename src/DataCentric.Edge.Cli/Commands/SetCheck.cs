using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// A set checked against the signals a device publishes. When no device's signals were given
/// (no --config, --board, --device or --signal) a signal cannot be called unknown, so those
/// diagnostics are warnings and everything else about the set is still checked.
/// </summary>
internal sealed class SetCheck
{
    private SetCheck(TriggerCompileResult result, IReadOnlyList<TriggerDiagnostic> errors, IReadOnlyList<TriggerDiagnostic> warnings)
    {
        Result = result;
        Errors = errors;
        Warnings = warnings;
    }

    public TriggerCompileResult Result { get; }

    public IReadOnlyList<TriggerDiagnostic> Errors { get; }

    /// <summary>Unknown signals, when the device's signals were not given.</summary>
    public IReadOnlyList<TriggerDiagnostic> Warnings { get; }

    public bool Passed => Errors.Count == 0;

    public static SetCheck Run(string text, TriggerSourceFormat format, IReadOnlyList<(string Name, SignalKind Kind)> known, bool signalsGiven)
    {
        var result = TriggerSetCompiler.Compile(text, format, known);
        return signalsGiven || result.Succeeded
            ? new SetCheck(result, result.Errors, [])
            : new SetCheck(result, [.. result.Errors.Where(e => e.UnknownSignal is null)], [.. result.Errors.Where(e => e.UnknownSignal is not null)]);
    }

    /// <summary>Every error as <c>file(line,col) ...</c>, then every warning.</summary>
    public async Task WriteAsync(TextWriter error, string fileName)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var diagnostic in Errors)
        {
            await error.WriteLineAsync($"{fileName}{diagnostic}").ConfigureAwait(false);
        }

        foreach (var diagnostic in Warnings)
        {
            await error.WriteLineAsync($"warning: {fileName}{diagnostic}").ConfigureAwait(false);
        }

        if (Warnings.Count > 0)
        {
            var names = string.Join(", ", Warnings.Select(w => w.UnknownSignal).Distinct(StringComparer.Ordinal));
            await error.WriteLineAsync($"warning: {fileName}: no device's signals to check {names} against; pass --config <agent.json> or --board <name> to make unknown signals errors").ConfigureAwait(false);
        }
    }
}

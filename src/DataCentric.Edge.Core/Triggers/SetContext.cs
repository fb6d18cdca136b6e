using DataCentric.Edge.Core.Triggers.Documents;

namespace DataCentric.Edge.Core.Triggers;

/// <summary>Collects errors of one set with their document positions.</summary>
internal sealed class SetContext(SourcePositions positions, List<TriggerDiagnostic> errors)
{
    public List<TriggerDiagnostic> Errors { get; } = errors;

    public SourcePositions Positions { get; } = positions;

    public void Error(string? triggerId, string field, string message, string? expected = null, string? suggestion = null, int? trigger = null, string? unknownSignal = null)
    {
        var (line, column) = Positions.Of(trigger, field);
        Errors.Add(new TriggerDiagnostic(triggerId, field, message, line, column, Expected: expected, Suggestion: suggestion, UnknownSignal: unknownSignal));
    }

    /// <summary>Parses a duration field and checks its range; reports and returns zero when it is wrong.</summary>
    public TimeSpan Duration(int? trigger, string field, string? text, TimeSpan min, TimeSpan max, string? triggerId = null)
    {
        if (!DurationText.TryParse(text, out var value))
        {
            Error(triggerId, field, $"'{text}' is not a duration", DurationText.Expected, trigger: trigger);
            return TimeSpan.Zero;
        }

        if (value < min || value > max)
        {
            Error(triggerId, field, $"{field} {text} is out of range", $"{DurationText.Format(min)} to {DurationText.Format(max)}", trigger: trigger);
            return TimeSpan.Zero;
        }

        return value;
    }
}

/// <summary>Errors of one trigger; expression errors get both document and expression positions.</summary>
internal sealed class TriggerContext(SetContext set, int index, string? triggerId)
{
    public void Error(string field, string message, string? expected = null) =>
        set.Error(triggerId, field, message, expected, trigger: index);

    public void ExpressionError(string when, int offset, string message, string? expected, string? suggestion, string? unknownSignal = null)
    {
        offset = Math.Clamp(offset, 0, when.Length);
        var lineStart = when.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        if (offset == 0)
        {
            lineStart = 0;
        }

        var expressionLine = 1 + when.AsSpan(0, lineStart).Count('\n');
        var expressionColumn = offset - lineStart + 1;
        var (line, column) = (0, 0);
        if (set.Positions.Scalar(index, "when") is { } scalar)
        {
            (line, column) = expressionLine == 1
                ? (scalar.ContentLine, scalar.ContentColumn + expressionColumn - 1)
                : (scalar.ContentLine + expressionLine - 1, scalar.ContinuationColumn + expressionColumn - 1);
        }

        set.Errors.Add(new TriggerDiagnostic(triggerId, "when", message, line, column, expressionLine, expressionColumn, expected, suggestion, unknownSignal));
    }
}

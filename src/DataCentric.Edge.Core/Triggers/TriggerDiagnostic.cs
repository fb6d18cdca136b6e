using System.Globalization;
using System.Text;

namespace DataCentric.Edge.Core.Triggers;

/// <summary>
/// One problem found while validating a trigger set. <see cref="Line"/>/<see cref="Column"/> point
/// into the YAML or JSON document (1-based, 0 when unknown); <see cref="ExpressionLine"/>/
/// <see cref="ExpressionColumn"/> point into the <c>when</c> expression itself (0 when the problem
/// is not inside an expression). <see cref="UnknownSignal"/> names the signal when the problem is
/// that no known signal has that name (a tool that does not know the device's signals may treat
/// those as warnings).
/// </summary>
public sealed record TriggerDiagnostic(
    string? TriggerId,
    string Field,
    string Message,
    int Line,
    int Column,
    int ExpressionLine = 0,
    int ExpressionColumn = 0,
    string? Expected = null,
    string? Suggestion = null,
    string? UnknownSignal = null)
{
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"({Line},{Column})");
        if (TriggerId is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" trigger '{TriggerId}'");
        }

        text.Append(CultureInfo.InvariantCulture, $" {Field}");
        if (ExpressionLine > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" [expression {ExpressionLine}:{ExpressionColumn}]");
        }

        text.Append(CultureInfo.InvariantCulture, $": {Message}");
        if (Expected is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"; expected {Expected}");
        }

        if (Suggestion is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"; did you mean '{Suggestion}'?");
        }

        return text.ToString();
    }
}

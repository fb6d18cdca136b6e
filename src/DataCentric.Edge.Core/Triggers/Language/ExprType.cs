namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>Types of the trigger language. Durations are carried as seconds (double).</summary>
internal enum ExprType
{
    Error,
    Number,
    Bool,
    String,
    Duration,
    Detections,
    Vector,
}

internal static class ExprTypes
{
    public static ExprType FromSignal(Signals.SignalKind kind) => kind switch
    {
        Signals.SignalKind.Number => ExprType.Number,
        Signals.SignalKind.Bool => ExprType.Bool,
        Signals.SignalKind.Text => ExprType.String,
        Signals.SignalKind.Detections => ExprType.Detections,
        _ => ExprType.Vector,
    };

    public static string Describe(ExprType type) => type switch
    {
        ExprType.Number => "number",
        ExprType.Bool => "bool",
        ExprType.String => "string",
        ExprType.Duration => "duration",
        ExprType.Detections => "detection list",
        ExprType.Vector => "vector",
        _ => "error",
    };
}

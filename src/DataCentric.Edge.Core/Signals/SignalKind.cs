namespace DataCentric.Edge.Core.Signals;

/// <summary>The type a signal carries on the bus; the trigger language type-checks against it.</summary>
public enum SignalKind
{
    Number,
    Bool,
    Text,
    Detections,
    Vector,
}

namespace DataCentric.Edge.Core.Signals;

/// <summary>
/// A typed value on the signal bus. Numbers and booleans live in <see cref="Number"/> so that
/// publishing them allocates nothing; text, detections and vectors are immutable references.
/// </summary>
public readonly struct SignalValue : IEquatable<SignalValue>
{
    private SignalValue(SignalKind kind, double number, object? reference)
    {
        Kind = kind;
        Number = number;
        Reference = reference;
    }

    public SignalKind Kind { get; }

    /// <summary>The number, or 1/0 for a boolean.</summary>
    public double Number { get; }

    public object? Reference { get; }

    public bool AsBool => Number != 0;

    public string AsText => Reference as string ?? string.Empty;

    public IReadOnlyList<Detection> AsDetections => Reference as Detection[] ?? [];

    public ReadOnlyMemory<float> AsVector => Reference as float[] ?? ReadOnlyMemory<float>.Empty;

    public static SignalValue FromNumber(double value) => new(SignalKind.Number, value, null);

    public static SignalValue FromBool(bool value) => new(SignalKind.Bool, value ? 1 : 0, null);

    public static SignalValue FromText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(SignalKind.Text, 0, value);
    }

    /// <summary>The array is owned by the value from now on: callers must not change it.</summary>
    public static SignalValue FromDetections(Detection[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(SignalKind.Detections, value.Length, value);
    }

    /// <summary>The array is owned by the value from now on: callers must not change it.</summary>
    public static SignalValue FromVector(float[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(SignalKind.Vector, value.Length, value);
    }

    public bool Equals(SignalValue other) =>
        Kind == other.Kind && Number.Equals(other.Number) && Equals(Reference, other.Reference);

    public override bool Equals(object? obj) => obj is SignalValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, Number, Reference);

    public override string ToString() => Kind switch
    {
        SignalKind.Number => Number.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
        SignalKind.Bool => AsBool ? "true" : "false",
        SignalKind.Text => AsText,
        SignalKind.Detections => $"{AsDetections.Count} detections",
        _ => $"vector[{AsVector.Length}]",
    };

    public static bool operator ==(SignalValue left, SignalValue right) => left.Equals(right);

    public static bool operator !=(SignalValue left, SignalValue right) => !left.Equals(right);
}

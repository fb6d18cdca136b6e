namespace DataCentric.Edge.Core.Signals;

/// <summary>The signal namespaces the design fixes (DESIGN.md: sensors, <c>shadow.*</c>, <c>primary.*</c>).</summary>
public static class SignalPrefixes
{
    /// <summary>
    /// Model outputs. They are stamped with the capture time of the frame they were computed from,
    /// so they lag the other signals by the inference latency; the trigger engine evaluates a set at
    /// the instant of the newest frame the set's model outputs cover and reads every other signal
    /// as it was at that instant.
    /// </summary>
    public const string ModelOutput = "shadow.";

    public static bool IsModelOutput(string name) => name.StartsWith(ModelOutput, StringComparison.Ordinal);
}

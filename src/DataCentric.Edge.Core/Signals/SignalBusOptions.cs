namespace DataCentric.Edge.Core.Signals;

public sealed class SignalBusOptions
{
    public const string SectionName = "Signals";

    /// <summary>Samples kept per signal for temporal operators (300 at 30 Hz is 10 s).</summary>
    public int HistoryCapacity { get; set; } = 300;
}

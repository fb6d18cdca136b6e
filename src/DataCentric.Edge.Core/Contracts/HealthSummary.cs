namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// The health figures that belong in the device's retained MQTT status (the metrics endpoint has
/// the full set): rates, latency, backlog, disk, and every component that is not ok, with why.
/// </summary>
public sealed record HealthSummary(
    double FramesPerSecond,
    IReadOnlyList<ModelLatency> Models,
    long DroppedFrames,
    int UploadBacklogClips,
    long DataDirectoryBytes,
    long DataVolumeFreeBytes,
    long TriggerEvents,
    IReadOnlyList<ComponentHealth> Faults);

/// <summary>A shadow model's run time (p50/p99 over its latest frames, null before the first) and whether it runs.</summary>
public sealed record ModelLatency(string Name, bool Running, double? P50Ms, double? P99Ms);

/// <summary>Where the status publisher reads the health part of the status message.</summary>
public interface IHealthSummarySource
{
    HealthSummary Current();
}

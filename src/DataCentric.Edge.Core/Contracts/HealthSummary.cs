namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// The health figures that belong in the device's retained MQTT status (the metrics endpoint has
/// the full set): rates, latency, backlog, disk, and every component that is not ok, with why.
/// </summary>
public sealed record HealthSummary(
    double FramesPerSecond,
    double? InferenceP50Ms,
    double? InferenceP99Ms,
    long DroppedFrames,
    int UploadBacklogClips,
    long DataDirectoryBytes,
    long DataVolumeFreeBytes,
    long TriggerEvents,
    IReadOnlyList<ComponentHealth> Faults);

/// <summary>Where the status publisher reads the health part of the status message.</summary>
public interface IHealthSummarySource
{
    HealthSummary Current();
}

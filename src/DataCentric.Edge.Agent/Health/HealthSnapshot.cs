using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Agent.Health;

/// <summary>One reading of the agent's health: what the metrics endpoint and the status report show.</summary>
public sealed record HealthSnapshot(
    double FramesPerSecond,
    long FramesCaptured,
    long FramesInferred,
    long CorruptFrames,
    IReadOnlyDictionary<string, long> DroppedFrames,
    double? InferenceP50Seconds,
    double? InferenceP99Seconds,
    IReadOnlyDictionary<string, int> QueueDepths,
    long DataDirectoryBytes,
    long DataVolumeFreeBytes,
    int UploadBacklogClips,
    long TriggerEvents,
    long ClipsStored,
    long ClipsUploaded,
    long ClipFailures,
    double? FirstFrameSeconds,
    IReadOnlyList<ComponentHealth> Devices);

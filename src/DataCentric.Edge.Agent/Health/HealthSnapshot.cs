using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Agent.Health;

/// <summary>One reading of the agent's health: what the metrics endpoint and the status report show.</summary>
public sealed record HealthSnapshot(
    double FramesPerSecond,
    long FramesCaptured,
    long FramesInferred,
    long CorruptFrames,
    IReadOnlyDictionary<string, long> DroppedFrames,
    IReadOnlyList<ModelFigures> Models,
    IReadOnlyDictionary<string, int> QueueDepths,
    long DataDirectoryBytes,
    long DataVolumeFreeBytes,
    int UploadBacklogClips,
    long TriggerEvents,
    long ClipsStored,
    long ClipsUploaded,
    long ClipFailures,
    double? FirstFrameSeconds,
    double? TriggerLagSeconds,
    IReadOnlyList<ComponentHealth> Devices);

/// <summary>One shadow model: running or why not, and its run time over the latest frames.</summary>
public sealed record ModelFigures(string Name, bool Running, string? Failure, double? P50Seconds, double? P99Seconds, long FramesInferred, long FramesDropped)
{
    /// <summary>The execution provider that runs it, and why not the first configured one (null: no fallback).</summary>
    public string? Provider { get; init; }

    public string? ProviderFallback { get; init; }
}

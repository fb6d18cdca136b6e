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
    IReadOnlyList<ComponentHealth> Faults)
{
    /// <summary>The ONNX Runtime the models run on and the execution providers it really offers; null when its library could not be loaded.</summary>
    public InferenceRuntimeSummary? InferenceRuntime { get; init; }
}

/// <summary>ONNX Runtime's version, its configured library (null: the one published with the agent) and its execution providers.</summary>
public sealed record InferenceRuntimeSummary(string Version, string? Library, IReadOnlyList<string> Providers);

/// <summary>A shadow model's run time (p50/p99 over its latest frames, null before the first) and whether it runs.</summary>
public sealed record ModelLatency(string Name, bool Running, double? P50Ms, double? P99Ms)
{
    /// <summary>The execution provider that runs the model (Cpu, Cuda, TensorRt); null when it did not load.</summary>
    public string? Provider { get; init; }

    /// <summary>Why it does not run on its first configured provider, or null.</summary>
    public string? ProviderFallback { get; init; }
}

/// <summary>Where the status publisher reads the health part of the status message.</summary>
public interface IHealthSummarySource
{
    HealthSummary Current();
}

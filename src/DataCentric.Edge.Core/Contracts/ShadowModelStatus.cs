namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// What one shadow model is doing, for the status report: running or failed (and why), and its
/// frame counters. Written by the inference stage, read by anyone; counters are atomic.
/// </summary>
public sealed class ShadowModelStatus(string name)
{
    private long _inferred;
    private long _dropped;
    private long _corrupt;
    private long _errors;
    private volatile string? _failure;
    private volatile ModelInfo? _model;
    private volatile string? _provider;
    private volatile string? _providerFallback;

    public string Name { get; } = name;

    /// <summary>The latest run times (bounded), for the p50/p99 of the health report.</summary>
    public LatencyWindow InferenceLatency { get; } = new(1024);

    /// <summary>Null until the model has loaded.</summary>
    public ModelInfo? Model => _model;

    public bool Running => _model is not null && _failure is null;

    /// <summary>Why the model is not running (load or check failure), or null.</summary>
    public string? Failure => _failure;

    public long FramesInferred => Interlocked.Read(ref _inferred);

    /// <summary>Frames dropped from this model's queue because it was behind.</summary>
    public long FramesDropped => Interlocked.Read(ref _dropped);

    /// <summary>Frames skipped because they could not be decoded or had the wrong size.</summary>
    public long CorruptFrames => Interlocked.Read(ref _corrupt);

    /// <summary>Runs that ONNX Runtime failed.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>The execution provider that runs the model (CPU, CUDA, TensorRT), null until it has loaded.</summary>
    public string? Provider => _provider;

    /// <summary>Why the model does not run on its first configured provider, or null.</summary>
    public string? ProviderFallback => _providerFallback;

    public void Loaded(ModelInfo model) => _model = model;

    public void RunsOn(string provider, string? fallback)
    {
        _providerFallback = fallback;
        _provider = provider;
    }

    public void Failed(string reason) => _failure = reason;

    public void CountInferred() => Interlocked.Increment(ref _inferred);

    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public void CountCorrupt() => Interlocked.Increment(ref _corrupt);

    public void CountError() => Interlocked.Increment(ref _errors);

    public override string ToString() =>
        Failure is { } failure
            ? $"{Name}: failed: {failure}"
            : $"{Name}: {(Running ? "running" : "loading")}, {FramesInferred} inferred, {FramesDropped} dropped, {CorruptFrames} corrupt, {Errors} errors";
}

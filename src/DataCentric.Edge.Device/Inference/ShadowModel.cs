using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Inference;

/// <summary>One configured shadow model: its engine when it loaded, its status either way, and the signals it owns.</summary>
public sealed class ShadowModel : IDisposable
{
    private volatile OnnxInferenceEngine? _engine;
    private volatile Action<Frame>? _probationTap;

    internal ShadowModel(ShadowModelOptions options, OnnxInferenceEngine? engine, ShadowModelStatus status)
    {
        Options = options;
        _engine = engine;
        Status = status;
        Signals = OutputAdapter.SignalsOf(options.Output);
    }

    public ShadowModelOptions Options { get; }

    /// <summary>Null when the model failed to load; <see cref="ShadowModelStatus.Failure"/> says why. A release swaps it (<see cref="Swap"/>).</summary>
    public OnnxInferenceEngine? Engine => _engine;

    public ShadowModelStatus Status { get; }

    /// <summary>Known from configuration, also when the model is broken, so triggers can name (and be disabled for) them.</summary>
    public IReadOnlyList<(string Name, SignalKind Kind)> Signals { get; }

    /// <summary>Registers the model's signals and, if it is not running, marks them unavailable with the reason.</summary>
    public void Register(SignalBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        foreach (var (name, kind) in Signals)
        {
            bus.Register(name, kind);
            if (Status.Failure is { } failure)
            {
                bus.Availability.MarkUnavailable(name, $"model '{Options.Name}' is not running: {failure}");
            }
        }
    }

    /// <summary>
    /// Puts <paramref name="next"/> into service: the runner's next frame runs on it and the status
    /// names its hash. The caller disposes the returned engine, which waits for a run still inside it.
    /// </summary>
    internal OnnxInferenceEngine? Swap(OnnxInferenceEngine next)
    {
        var previous = Interlocked.Exchange(ref _engine, next);
        Status.Loaded(next.Model);
        return previous;
    }

    /// <summary>While set, told of every frame this model is offered in turn (a release's probation reads them).</summary>
    internal Action<Frame>? ProbationTap
    {
        get => _probationTap;
        set => _probationTap = value;
    }

    public void Dispose() => _engine?.Dispose();
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Inference;

/// <summary>One configured shadow model: its engine when it loaded, its status either way, and the signals it owns.</summary>
public sealed class ShadowModel : IDisposable
{
    internal ShadowModel(ShadowModelOptions options, OnnxInferenceEngine? engine, ShadowModelStatus status)
    {
        Options = options;
        Engine = engine;
        Status = status;
        Signals = OutputAdapter.SignalsOf(options.Output);
    }

    public ShadowModelOptions Options { get; }

    /// <summary>Null when the model failed to load; <see cref="ShadowModelStatus.Failure"/> says why.</summary>
    public OnnxInferenceEngine? Engine { get; }

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

    public void Dispose() => Engine?.Dispose();
}

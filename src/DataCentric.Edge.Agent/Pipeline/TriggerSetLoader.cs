using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device;

namespace DataCentric.Edge.Agent.Pipeline;

/// <summary>Compiles the configured trigger set against every signal the configured sources and models produce.</summary>
public static class TriggerSetLoader
{
    /// <summary>The device's active trigger set, starting with the configured one (<c>Agent:TriggerSetPath</c>).</summary>
    /// <exception cref="TriggerSetRejectedException">The set is invalid; every error is listed with its position.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ActiveTriggerSet LoadActive(AgentOptions options, SignalBus bus, IEnumerable<ISignalSource> sources, IInferenceEngine engine)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(engine);
        // The same registration edgectl's --config/--board check uses (PublishedSignals.Of).
        PublishedSignals.Register(bus, sources, engine.Outputs);

        var path = Path.GetFullPath(options.TriggerSetPath, AppContext.BaseDirectory);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Trigger set not found: {path} (Agent:TriggerSetPath)", path);
        }

        var format = TriggerSourceFormats.FromPath(path);
        return new ActiveTriggerSet(TriggerSetCompiler.Compile(File.ReadAllText(path), format, bus.Describe()).GetSetOrThrow());
    }
}

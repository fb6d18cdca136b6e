using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Camera;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Device;

/// <summary>
/// The signals a device publishes with a given configuration, found the way the agent finds them
/// at start: every source the configuration turns on (<see cref="Sources.DeviceSources"/>) registers
/// its own, and every configured model declares its outputs from its <c>Output</c> options, loaded
/// or not. There is no second list to keep: a source or an output adapter that names a new signal
/// is seen here. Registering opens no hardware; a replayed recording is read for its signals.
/// </summary>
public static class PublishedSignals
{
    /// <summary>The signals of the sources and models registered in <paramref name="deviceServices"/>.</summary>
    /// <param name="deviceServices">A provider with <c>AddCore</c> and <c>AddDevice</c> for the configuration; no model is loaded.</param>
    /// <exception cref="InvalidOperationException">Two sources name one signal with different kinds, or a recording cannot be read (the message names the source).</exception>
    public static IReadOnlyList<(string Name, SignalKind Kind)> Of(IServiceProvider deviceServices)
    {
        ArgumentNullException.ThrowIfNull(deviceServices);
        var bus = new SignalBus(new SignalBusOptions());
        Register(bus, deviceServices.GetServices<ISignalSource>(), ShadowModelSet.OutputsOf(deviceServices.Options<InferenceOptions>()));
        return bus.Describe();
    }

    /// <summary>Registers what each source and model publishes on <paramref name="bus"/>, sources first (as the agent starts them).</summary>
    /// <exception cref="InvalidOperationException">Two sources name one signal with different kinds, or a recording cannot be read.</exception>
    public static void Register(SignalBus bus, IEnumerable<ISignalSource> sources, IEnumerable<(string Name, SignalKind Kind)> modelOutputs)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(modelOutputs);
        foreach (var source in sources)
        {
            try
            {
                source.Register(bus);
            }
            catch (Exception e) when (e is InvalidOperationException or FrameSourceException)
            {
                throw new InvalidOperationException($"source '{source.Name}': {e.Message}", e);
            }
        }

        foreach (var (name, kind) in modelOutputs)
        {
            bus.Register(name, kind);
        }
    }
}

using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Sources;

/// <summary>
/// Anything that publishes signals onto the bus: the primary controller's decisions, GPIO inputs,
/// an IMU. Read-only towards the hardware it reads.
/// </summary>
public interface ISignalSource
{
    string Name { get; }

    /// <summary>Registers this source's signals so triggers can be validated before the first sample.</summary>
    void Register(SignalBus bus);

    /// <summary>Publishes until cancelled.</summary>
    Task RunAsync(SignalBus bus, CancellationToken cancellationToken);
}

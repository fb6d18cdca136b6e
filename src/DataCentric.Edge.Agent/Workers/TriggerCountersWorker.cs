using DataCentric.Edge.Uplink.Connection;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>Sends the trigger engine's counters to the fleet every <c>Uplink:TriggerCountersInterval</c> (<see cref="TriggerCountersPublisher"/>).</summary>
internal sealed class TriggerCountersWorker(TriggerCountersPublisher publisher) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => publisher.RunAsync(stoppingToken);
}

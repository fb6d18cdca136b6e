using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Broker;
using DataCentric.Edge.Uplink.Broker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent.Demo;

/// <summary>
/// Starts MQTTnet's broker on loopback before the uplink needs it, points every client at it, and
/// (in the demo) prints where it listens with an edgectl line that reaches it: its port may be random.
/// </summary>
internal sealed partial class EmbeddedBrokerService(
    IOptions<UplinkOptions> options, BrokerEndpoint endpoint, FleetTopics topics, ILogger<EmbeddedBrokerService> logger, DemoConsole? console = null) : IHostedService
{
    private EmbeddedBroker? _broker;

    /// <summary>The running broker, once started (the demo's console waits on its subscriptions).</summary>
    public EmbeddedBroker Broker => _broker ?? throw new InvalidOperationException("The embedded broker has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _broker = await EmbeddedBroker.StartAsync(options.Value.Port, LogPortTaken).ConfigureAwait(false);
        endpoint.Set("127.0.0.1", _broker.Port);
        LogStarted(_broker.Port);
        console?.OnBrokerStarted(endpoint.Host, _broker.Port, topics);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on 127.0.0.1:{Port}")]
    private partial void LogStarted(int port);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Port {Port} is taken; the embedded broker uses a free port instead")]
    private partial void LogPortTaken(int port);
}

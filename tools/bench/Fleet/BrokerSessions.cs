using MQTTnet;
using MQTTnet.Formatter;

namespace DataCentric.Edge.Bench.Fleet;

/// <summary>
/// Ends the persistent sessions a stopped receiver leaves in the broker. mosquitto keeps serving a
/// shared subscription to an offline session (queuing its share of the messages), so a receiver of
/// the previous run would swallow clips of the next one.
/// </summary>
internal static class BrokerSessions
{
    public static async Task ClearAsync(BenchOptions options, IEnumerable<string> clientIds, CancellationToken cancellationToken)
    {
        var factory = new MqttClientFactory();
        foreach (var clientId in clientIds)
        {
            using var client = factory.CreateMqttClient();
            // Clean start discards the stored session; expiry 0 leaves none behind on disconnect.
            var connect = new MqttClientOptionsBuilder()
                .WithTcpServer(options.BrokerHost, options.BrokerPort)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId(clientId)
                .WithCleanStart(true)
                .WithSessionExpiryInterval(0)
                .Build();
            await client.ConnectAsync(connect, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Net;
using System.Net.Sockets;
using MQTTnet.Packets;
using MQTTnet.Server;

namespace DataCentric.Edge.Fleet.Broker;

/// <summary>
/// MQTTnet's broker inside the process, on loopback only: the demo's and the tests' default.
/// It has no shared subscriptions and no packet-size limit (STACK-NOTES): interop is tested on mosquitto.
/// A <c>$share/{group}/{filter}</c> subscription is served as a plain <c>{filter}</c> one, so that
/// dce-fleet's receiver and tracker (which always subscribe that way) work on the demo's broker: right
/// for one subscriber per group, as in the demo; a second one of the same group gets every message too.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private EmbeddedBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Raised when the broker has added a client's subscription (after the <c>$share</c> prefix was removed).</summary>
    public event Action<string, string>? ClientSubscribed;

    /// <summary>Starts on <paramref name="requestedPort"/>, or on a free port when it is 0 or taken.</summary>
    /// <param name="portTaken">Set when the requested port was in use, so the caller can say which.</param>
    public static async Task<EmbeddedBroker> StartAsync(int requestedPort, Action<int>? portTaken = null)
    {
        var port = requestedPort;
        if (port != 0 && !IsFree(port))
        {
            portTaken?.Invoke(port);
            port = 0;
        }

        // Port 0 lets the kernel choose as the listener binds, and MQTTnet writes the chosen port back
        // into the options: no window in which another socket can take a port probed free.
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions()
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        // Rewritten as the packet comes in: MQTTnet answers a $share filter "not supported" before its subscription interceptor runs.
        server.InterceptingInboundPacketAsync += e =>
        {
            if (e.Packet is MqttSubscribePacket subscribe)
            {
                foreach (var filter in subscribe.TopicFilters)
                {
                    filter.Topic = WithoutShare(filter.Topic);
                }
            }
            else if (e.Packet is MqttUnsubscribePacket unsubscribe)
            {
                for (var i = 0; i < unsubscribe.TopicFilters.Count; i++)
                {
                    unsubscribe.TopicFilters[i] = WithoutShare(unsubscribe.TopicFilters[i]);
                }
            }

            return Task.CompletedTask;
        };
        await server.StartAsync().ConfigureAwait(false);
        var broker = new EmbeddedBroker(server, options.DefaultEndpointOptions.Port);
        server.ClientSubscribedTopicAsync += e =>
        {
            broker.ClientSubscribed?.Invoke(e.ClientId, e.TopicFilter.Topic);
            return Task.CompletedTask;
        };
        return broker;
    }

    /// <summary>
    /// Whether a network connection with this client id is still open on the broker. A client's
    /// DISCONNECT is handled on the broker's own tasks, after the client has already returned.
    /// </summary>
    internal async Task<bool> HasConnectionAsync(string clientId)
    {
        var clients = await _server.GetClientsAsync().ConfigureAwait(false);
        return clients.Any(c => string.Equals(c.Id, clientId, StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync().ConfigureAwait(false);
        _server.Dispose();
    }

    /// <summary><c>$share/{group}/{filter}</c> → <c>{filter}</c>; any other filter as it is.</summary>
    internal static string WithoutShare(string topicFilter)
    {
        const string Share = "$share/";
        if (!topicFilter.StartsWith(Share, StringComparison.Ordinal))
        {
            return topicFilter;
        }

        var afterGroup = topicFilter.IndexOf('/', Share.Length);
        return afterGroup < 0 ? topicFilter : topicFilter[(afterGroup + 1)..];
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

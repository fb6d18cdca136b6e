using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace DataCentric.Edge.Fleet.Broker;

/// <summary>
/// MQTTnet's broker inside the process, on loopback only: the demo's and the tests' default.
/// It has no shared subscriptions and no packet-size limit (STACK-NOTES): interop is tested on mosquitto.
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
        await server.StartAsync().ConfigureAwait(false);
        return new EmbeddedBroker(server, options.DefaultEndpointOptions.Port);
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

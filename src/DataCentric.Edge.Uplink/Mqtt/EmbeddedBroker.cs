using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace DataCentric.Edge.Uplink.Mqtt;

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
        if (port == 0 || !IsFree(port))
        {
            if (port != 0)
            {
                portTaken?.Invoke(port);
            }

            port = FreePort();
        }

        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions()
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        await server.StartAsync().ConfigureAwait(false);
        return new EmbeddedBroker(server, port);
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

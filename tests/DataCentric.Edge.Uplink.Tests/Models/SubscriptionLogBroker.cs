using System.Collections.Concurrent;
using System.Net;
using MQTTnet.Server;

namespace DataCentric.Edge.Uplink.Tests.Models;

/// <summary>
/// The in-process MQTTnet broker, recording every topic filter each client subscribes to: for a
/// model transfer that is the wire's record of which chunks the device asked for.
/// </summary>
internal sealed class SubscriptionLogBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private SubscriptionLogBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
        server.InterceptingSubscriptionAsync += e =>
        {
            Subscriptions.Enqueue((e.ClientId, e.TopicFilter.Topic));
            return Task.CompletedTask;
        };
    }

    public int Port { get; }

    public ConcurrentQueue<(string ClientId, string Filter)> Subscriptions { get; } = [];

    public static async Task<SubscriptionLogBroker> StartAsync()
    {
        var port = FreePort();
        var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None).WithDefaultEndpointPort(port).WithPersistentSessions().Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        var broker = new SubscriptionLogBroker(server, port);
        await server.StartAsync();
        return broker;
    }

    /// <summary>The chunk indices <paramref name="clientId"/> subscribed to under <paramref name="chunkPrefix"/>, in order, from position <paramref name="from"/> of the log.</summary>
    public List<int> ChunksAskedFor(string clientId, string chunkPrefix, int from = 0) =>
        [.. Subscriptions.Skip(from).Where(s => s.ClientId == clientId && s.Filter.StartsWith(chunkPrefix, StringComparison.Ordinal))
            .Select(s => int.Parse(s.Filter.AsSpan(chunkPrefix.Length), System.Globalization.CultureInfo.InvariantCulture))];

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using MQTTnet;
using MQTTnet.Server;

namespace DataCentric.Edge.Uplink.Tests.Upload;

/// <summary>
/// MQTTnet's broker on loopback that holds the first publish of one chunk index and never
/// acknowledges it: a link that stalls at chunk k. Everything before it is acknowledged, so the
/// device knows exactly chunks 0..k-1 arrived. The hold ends (the chunk dropped) only when the
/// sender's connection goes, as when a restarted agent takes its session over.
/// </summary>
internal sealed class GatedBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly MqttServerOptions _options;
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _holdIndex;

    private GatedBroker(int holdIndex)
    {
        _holdIndex = holdIndex;
        _options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(0)
            .WithPersistentSessions()
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(_options);
        _server.InterceptingPublishAsync += OnPublishAsync;
    }

    /// <summary>The port the kernel chose (MQTTnet writes it back into the options as it binds).</summary>
    public int Port => _options.DefaultEndpointOptions.Port;

    /// <summary>Completes when the held chunk reached the broker (its predecessors were acknowledged before).</summary>
    public Task Held => _held.Task;

    public static async Task<GatedBroker> StartAsync(int holdChunkIndex)
    {
        var broker = new GatedBroker(holdChunkIndex);
        await broker._server.StartAsync();
        return broker;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        if (ChunkIndex(e.ApplicationMessage) != _holdIndex || !_held.TrySetResult())
        {
            return;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, e.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            e.ProcessPublish = false;
        }
    }

    private static int? ChunkIndex(MqttApplicationMessage message)
    {
        var property = message.UserProperties?.FirstOrDefault(p => p.Name == ChunkProperties.Index);
        return property is null ? null : int.Parse(Encoding.ASCII.GetString(property.ValueBuffer.Span), CultureInfo.InvariantCulture);
    }
}

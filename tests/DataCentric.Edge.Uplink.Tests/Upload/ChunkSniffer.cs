using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Broker;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Uplink.Tests.Upload;

/// <summary>A plain subscriber that records the index of every chunk published on a topic.</summary>
internal sealed class ChunkSniffer : IDisposable
{
    private readonly IMqttClient _client;
    private readonly SemaphoreSlim _seen = new(0);

    private ChunkSniffer(IMqttClient client)
    {
        _client = client;
        client.ApplicationMessageReceivedAsync += e =>
        {
            var index = e.ApplicationMessage.UserProperties.First(p => p.Name == ChunkProperties.Index);
            Indices.Add(int.Parse(Encoding.ASCII.GetString(index.ValueBuffer.Span), CultureInfo.InvariantCulture));
            var size = e.ApplicationMessage.UserProperties.First(p => p.Name == ChunkProperties.ChunkBytes);
            Sizes.Add(int.Parse(Encoding.ASCII.GetString(size.ValueBuffer.Span), CultureInfo.InvariantCulture));
            _seen.Release();
            return Task.CompletedTask;
        };
    }

    public ConcurrentBag<int> Indices { get; } = [];

    /// <summary>The <c>chunk-bytes</c> property of every chunk seen.</summary>
    public ConcurrentBag<int> Sizes { get; } = [];

    public static async Task<ChunkSniffer> StartAsync(BrokerEndpoint endpoint, string filter)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer(endpoint.Host, endpoint.Port).WithClientId($"sniffer-{Guid.NewGuid():N}")
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build(),
            TestContext.Current.CancellationToken);
        await client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        return new ChunkSniffer(client);
    }

    public async Task WaitForAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await _seen.WaitAsync(Waits.Timeout, TestContext.Current.CancellationToken), $"only {i} chunks seen");
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _seen.Dispose();
    }
}

using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Tests.Catalog;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace DataCentric.Edge.FleetService.Tests.Receiving;

/// <summary>
/// A device as CONTRACT.md §Clips describes it, written from the contract alone: publishes a
/// manifest and chunks (QoS 1, user properties) and collects the receivers' acks.
/// </summary>
internal sealed class ContractDevice : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly Channel<ClipAck> _acks = Channel.CreateUnbounded<ClipAck>();

    private ContractDevice(IMqttClient client, string fleet, string device)
    {
        _client = client;
        Topics = new FleetTopics(fleet, device);
    }

    public FleetTopics Topics { get; }

    public static async Task<ContractDevice> ConnectAsync(int brokerPort, string fleet, string device, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var self = new ContractDevice(client, fleet, device);
        client.ApplicationMessageReceivedAsync += e =>
        {
            self._acks.Writer.TryWrite(UplinkJson.Deserialize<ClipAck>(e.ApplicationMessage.Payload)!);
            return Task.CompletedTask;
        };
        await client.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", brokerPort).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId($"{fleet}.{device}").Build(),
            cancellationToken);
        await client.SubscribeAsync(self.Topics.ClipAcks, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        return self;
    }

    /// <summary>The manifest, then every chunk in order.</summary>
    public async Task UploadAsync(StagedUploads upload, CancellationToken cancellationToken)
    {
        await PublishManifestAsync(upload.Manifest, cancellationToken);
        for (var i = 0; i < upload.Count; i++)
        {
            await PublishChunkAsync(upload, i, cancellationToken);
        }
    }

    public Task PublishManifestAsync(ClipManifest manifest, CancellationToken cancellationToken) =>
        PublishAsync(Topics.ClipManifest(manifest.ClipId), JsonSerializer.SerializeToUtf8Bytes(manifest, UplinkJson.TypeInfo<ClipManifest>()), [], cancellationToken);

    public Task PublishChunkAsync(StagedUploads upload, int index, CancellationToken cancellationToken) =>
        PublishChunkAsync(upload.Manifest.ClipId, upload.Data(index).ToArray(), index, upload.Count, upload.Manifest.ChunkBytes, cancellationToken);

    public Task PublishChunkAsync(string clipId, byte[] data, int index, int count, int chunkBytes, CancellationToken cancellationToken) =>
        PublishAsync(
            Topics.ClipChunk(clipId),
            data,
            [
                (ChunkProperties.Index, index.ToString(CultureInfo.InvariantCulture)),
                (ChunkProperties.Count, count.ToString(CultureInfo.InvariantCulture)),
                (ChunkProperties.ChunkBytes, chunkBytes.ToString(CultureInfo.InvariantCulture)),
            ],
            cancellationToken);

    public async Task PublishAsync(string topic, byte[] payload, (string Name, string Value)[] properties, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        foreach (var (name, value) in properties)
        {
            message.WithUserProperty(name, System.Text.Encoding.UTF8.GetBytes(value));
        }

        var result = await _client.PublishAsync(message.Build(), cancellationToken);
        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            throw new InvalidOperationException($"The broker refused {topic}: {result.ReasonCode}");
        }
    }

    /// <summary>The next ack the receivers published to this device.</summary>
    public async Task<ClipAck> NextAckAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _acks.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(timeout, cancellationToken);

    /// <summary>An ack that already arrived, if any.</summary>
    public bool TryTakeAck(out ClipAck? ack) => _acks.Reader.TryRead(out ack);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }

        _client.Dispose();
    }
}

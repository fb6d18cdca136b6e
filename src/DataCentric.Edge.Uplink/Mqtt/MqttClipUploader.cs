using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Core.Upload;
using DataCentric.Edge.Uplink.Storage;
using MQTTnet;
using MQTTnet.Protocol;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Uplink.Mqtt;

/// <summary>
/// Sends stored clips to the broker: a manifest, then QoS 1 chunks, resuming after the last chunk
/// the broker acknowledged (kept in the catalog, so it survives reconnects and restarts). Marks a
/// clip acknowledged when the receiver says it holds an intact copy. MQTTnet 5 has no managed
/// client: <see cref="EnsureConnectedAsync"/> is called by the upload worker's own loop.
/// </summary>
public sealed class MqttClipUploader : IAsyncDisposable
{
    private readonly UplinkOptions _options;
    private readonly BrokerEndpoint _endpoint;
    private readonly FleetTopics _topics;
    private readonly IClipCatalog _catalog;
    private readonly ClipFileStore _store;
    private readonly IMqttClient _client;

    public MqttClipUploader(UplinkOptions options, BrokerEndpoint endpoint, FleetTopics topics, IClipCatalog catalog, ClipFileStore store)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(store);
        _options = options;
        _endpoint = endpoint;
        _topics = topics;
        _catalog = catalog;
        _store = store;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Raised with the clip id when the receiver confirms an intact copy.</summary>
    public event Action<string>? Acknowledged;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects (persistent session, Last Will "offline") if not connected; false when the broker cannot be reached.</summary>
    public async Task<bool> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return true;
        }

        var options = MqttClientOptionsFactory.Create(_options, _endpoint, $"{_topics.Fleet}.{_topics.Device}")
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_options.SessionExpiry.TotalSeconds)
            .WithWillTopic(_topics.Status)
            .WithWillRetain()
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillPayload(StatusPayload("offline"))
            .Build()
            .WithSocketBuffer(_options);
        var result = await _client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            return false;
        }

        await _client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_topics.ClipAcks, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken).ConfigureAwait(false);
        await PublishAsync(_topics.Status, StatusPayload("online"), retain: true, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Sends the manifest and every chunk not yet acknowledged by the broker.</summary>
    /// <exception cref="FileNotFoundException">The clip's file is gone.</exception>
    /// <exception cref="UploadRejectedException">The broker refused a publish.</exception>
    public async Task UploadAsync(StoredClip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var path = _store.PathOf(clip);
        var chunkBytes = _options.ChunkBytes;
        var chunkCount = ClipManifest.ChunkCountFor(clip.SizeBytes, chunkBytes);
        var manifest = new ClipManifest(
            clip.ClipId, _topics.Fleet, _topics.Device, clip.FileName, clip.SizeBytes, clip.Sha256, chunkBytes, chunkCount,
            clip.Priority, clip.TriggerIds, clip.StartWall, clip.EndWall, clip.FrameCount, clip.ModelSha256);
        await PublishAsync(_topics.ClipManifest(clip.ClipId), JsonSerializer.SerializeToUtf8Bytes(manifest, UplinkJson.Options), retain: false, cancellationToken).ConfigureAwait(false);

        var buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var countProperty = Ascii(chunkCount);
            var sizeProperty = Ascii(chunkBytes);
            for (var index = Math.Min(clip.ChunksSent, chunkCount); index < chunkCount; index++)
            {
                file.Position = (long)index * chunkBytes;
                var length = await file.ReadAtLeastAsync(buffer.AsMemory(0, chunkBytes), chunkBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(_topics.ClipChunk(clip.ClipId))
                    .WithPayloadSegment(buffer.AsMemory(0, length))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithUserProperty(ChunkProperties.Index, Ascii(index))
                    .WithUserProperty(ChunkProperties.Count, countProperty)
                    .WithUserProperty(ChunkProperties.ChunkBytes, sizeProperty)
                    .Build();
                await PublishAsync(message, cancellationToken).ConfigureAwait(false);
                _catalog.UpdateUpload(clip.ClipId, index + 1 == chunkCount ? UploadState.Sent : UploadState.Pending, index + 1);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                // A clean disconnect suppresses the Will: say offline ourselves.
                await PublishAsync(_topics.Status, StatusPayload("offline"), retain: true, CancellationToken.None).ConfigureAwait(false);
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Broker already gone; the Will says offline.
            }
        }

        _client.Dispose();
    }

    private Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken) =>
        PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken);

    private async Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (result.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
        {
            throw new UploadRejectedException($"Broker refused a publish to {message.Topic}: {result.ReasonCode} {result.ReasonString}".TrimEnd());
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (FleetTopics.TryParseClipTopic(e.ApplicationMessage.Topic, out _, out _, out var clipId, out var kind) && kind == "ack")
        {
            var ack = Deserialize<ClipAck>(e.ApplicationMessage.Payload);
            if (ack is { Status: ClipAckStatus.Complete } && ack.ClipId == clipId)
            {
                var clip = _catalog.FindClip(clipId);
                if (clip is not null && clip.Sha256 == ack.Sha256)
                {
                    _catalog.UpdateUpload(clipId, UploadState.Acknowledged, clip.ChunksSent);
                    Acknowledged?.Invoke(clipId);
                }
            }
            else if (ack is { Status: ClipAckStatus.HashMismatch } && _catalog.FindClip(clipId) is { } corrupt)
            {
                // The receiver got a bad copy: send it all again.
                _catalog.UpdateUpload(clipId, UploadState.Pending, 0);
            }
        }

        return Task.CompletedTask;
    }

    private byte[] StatusPayload(string state) =>
        JsonSerializer.SerializeToUtf8Bytes(new { device = _topics.Device, fleet = _topics.Fleet, state }, UplinkJson.Options);

    private static ReadOnlyMemory<byte> Ascii(int value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    internal static T? Deserialize<T>(ReadOnlySequence<byte> payload)
        where T : class
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            return JsonSerializer.Deserialize<T>(ref reader, UplinkJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

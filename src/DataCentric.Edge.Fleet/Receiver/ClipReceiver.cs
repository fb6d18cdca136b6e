using System.Buffers;
using System.Text.Json;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Broker;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Fleet.Receiver;

/// <summary>
/// Collects clip uploads from the fleet into <see cref="ReceiverStorage"/> and acknowledges each
/// clip once it is whole and verified. With <see cref="ReceiverOptions.SharedGroup"/> it subscribes
/// through an MQTT 5 shared subscription, so several receivers on shared storage split the load.
/// A clip already held is acknowledged again and not rewritten, so resends are harmless.
/// </summary>
public sealed class ClipReceiver : IAsyncDisposable
{
    private readonly ReceiverOptions _options;
    private readonly UplinkOptions _uplink;
    private readonly BrokerEndpoint _endpoint;
    private readonly IMqttClient _client;
    private readonly IReadOnlyList<string>? _filters;
    private readonly HeldMessages _held = new();
    private bool _draining;
    private long _duplicateChunks;

    /// <param name="filters">Topic filters to take instead of every device's uploads (e.g. one device's, for a pull).</param>
    public ClipReceiver(ReceiverOptions options, UplinkOptions uplink, BrokerEndpoint endpoint, TimeProvider? timeProvider = null, IReadOnlyList<string>? filters = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(uplink);
        ArgumentNullException.ThrowIfNull(endpoint);
        _options = options;
        _uplink = uplink;
        _endpoint = endpoint;
        _filters = filters;
        Storage = new ReceiverStorage(options.OutputDirectory, timeProvider ?? TimeProvider.System);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>A clip arrived whole and verified.</summary>
    public event Action<ReceivedClip>? ClipReceived;

    /// <summary>A manifest came for a clip this receiver already holds whole: acknowledged again, not rewritten.</summary>
    public event Action<ReceivedClip>? AlreadyHeld;

    /// <summary>
    /// Which clips this receiver takes (null: all). One that is <see cref="ClipSelection.Undecided"/>
    /// is held in memory (bounded) until <see cref="ReleaseHeldAsync"/>; an ignored one is neither
    /// stored nor acknowledged, so it stays owed to the fleet's own receivers.
    /// </summary>
    public Func<string, ClipManifest?, ClipSelection>? Selection { get; init; }

    /// <summary>A message could not be used; the text says what and from where.</summary>
    public event Action<string>? Rejected;

    /// <summary>A chunk arrived (fleet, device, clip id, index, count): for progress displays.</summary>
    public event Action<string, string, string, int, int>? ChunkReceived;

    public ReceiverStorage Storage { get; }

    public long DuplicateChunks => Interlocked.Read(ref _duplicateChunks);

    public bool IsConnected => _client.IsConnected;

    /// <summary>The filters this receiver subscribes to (shared when a group is configured).</summary>
    public IReadOnlyList<string> Filters =>
    [
        .. (_filters ?? [FleetTopics.AllClipManifests, FleetTopics.AllClipChunks])
            .Select(f => _options.SharedGroup is { Length: > 0 } group ? $"$share/{group}/{f}" : f),
    ];

    /// <summary>Connects and subscribes if not connected; false when the broker refused the connection.</summary>
    /// <exception cref="MQTTnet.Exceptions.MqttCommunicationException">The broker could not be reached in <see cref="UplinkOptions.ConnectTimeout"/>, or the last connection is still closing: try again later.</exception>
    public async Task<bool> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return true;
        }

        var options = MqttClientOptionsFactory.Create(_uplink, _endpoint, _options.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_uplink.SessionExpiry.TotalSeconds)
            .Build()
            .WithSocketBuffer(_uplink);
        var result = await MqttConnect.WithDeadlineAsync(_client, options, _uplink.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            return false;
        }

        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in Filters)
        {
            subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        var granted = await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        var refused = granted.Items.Where(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2).ToList();
        if (refused.Count > 0)
        {
            throw new InvalidOperationException($"The broker refused the receiver's subscriptions: {string.Join(", ", refused.Select(r => $"{r.TopicFilter.Topic} ({r.ResultCode})"))}");
        }

        return true;
    }

    /// <summary>
    /// Completes clips whose chunks were split between receivers of one shared group: whoever
    /// got the last chunk may not have seen the others on disk yet.
    /// </summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var (fleet, device, clipId) in Storage.PartialClips().ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await CompleteAsync(fleet, device, clipId).ConfigureAwait(false);
        }

        foreach (var abandoned in Storage.RemoveAbandoned(_options.AbandonPartialAfter))
        {
            Rejected?.Invoke($"partial clip {abandoned}: nothing arrived for {_options.AbandonPartialAfter}; removed (the device re-sends it if it still holds it)");
        }
    }

    /// <summary>
    /// Handles the messages held while their clips were undecided, in arrival order, under the
    /// <see cref="Selection"/> as it decides now. Until the last held message is handled, newer
    /// messages queue behind them: a chunk must never overtake its clip's held manifest.
    /// </summary>
    public async Task ReleaseHeldAsync()
    {
        lock (_held)
        {
            _draining = true;
        }

        try
        {
            while (true)
            {
                IReadOnlyList<MqttApplicationMessage> batch;
                lock (_held)
                {
                    batch = _held.TakeAll();
                    if (batch.Count == 0)
                    {
                        _draining = false;
                        return;
                    }
                }

                foreach (var message in batch)
                {
                    await HandleAsync(message, released: true).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            lock (_held)
            {
                _draining = false;
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Broker already gone.
            }
        }

        _client.Dispose();
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e) => HandleAsync(e.ApplicationMessage, released: false);

    private async Task HandleAsync(MqttApplicationMessage message, bool released)
    {
        if (!FleetTopics.TryParseClipTopic(message.Topic, out var fleet, out var device, out var clipId, out var kind))
        {
            Rejected?.Invoke($"{message.Topic}: not a clip topic of contract {FleetTopics.Root}");
            return;
        }

        try
        {
            if (Selection is { } selection && !Selected(selection, clipId, kind == "manifest" ? UplinkJson.Deserialize<ClipManifest>(message.Payload) : null, message, released))
            {
                return;
            }

            switch (kind)
            {
                case "manifest":
                    await OnManifestAsync(fleet, device, clipId, message.Payload).ConfigureAwait(false);
                    break;
                case "chunk":
                    await OnChunkAsync(fleet, device, clipId, message).ConfigureAwait(false);
                    break;
                default:
                    break;
            }
        }
        catch (Exception error) when (error is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Rejected?.Invoke($"{message.Topic}: {error.Message}");
        }
    }

    /// <summary>
    /// Whether to handle the message now; an undecided one is held (decided and held under one lock,
    /// so a release misses none), and so is any new one while older ones wait, to keep their order.
    /// </summary>
    private bool Selected(Func<string, ClipManifest?, ClipSelection> selection, string clipId, ClipManifest? manifest, MqttApplicationMessage message, bool released)
    {
        string? dropped;
        lock (_held)
        {
            var decision = !released && (_draining || _held.Count > 0) ? ClipSelection.Undecided : selection(clipId, manifest);
            if (decision != ClipSelection.Undecided)
            {
                return decision == ClipSelection.Take;
            }

            dropped = _held.Add(message);
        }

        if (dropped is not null)
        {
            Rejected?.Invoke($"{dropped}: dropped while its clip was undecided (more than {HeldMessages.MaxBytes} bytes held)");
        }

        return false;
    }

    private async Task OnManifestAsync(string fleet, string device, string clipId, ReadOnlySequence<byte> payload)
    {
        var manifest = UplinkJson.Deserialize<ClipManifest>(payload)
            ?? throw new InvalidDataException("manifest is not valid JSON");
        if (manifest.ClipId != clipId || manifest.Fleet != fleet || manifest.Device != device)
        {
            throw new InvalidDataException($"manifest names clip {manifest.ClipId} of {manifest.Fleet}/{manifest.Device}, not the topic's");
        }

        if (!IsSafeFileName(manifest.FileName) || !IsSafeFileName(clipId))
        {
            throw new InvalidDataException($"manifest file name '{manifest.FileName}' or clip id '{clipId}' is not a plain file name");
        }

        if (manifest.ChunkBytes < 1 || manifest.SizeBytes < 0 || manifest.ChunkCount != ClipManifest.ChunkCountFor(manifest.SizeBytes, manifest.ChunkBytes)
            || manifest.Sha256.Length != 64)
        {
            throw new InvalidDataException($"manifest of {manifest.SizeBytes} bytes in {manifest.ChunkCount} chunks of {manifest.ChunkBytes} bytes is inconsistent");
        }

        if (Storage.IsHeld(fleet, device, clipId))
        {
            AlreadyHeld?.Invoke(new ReceivedClip(manifest, Storage.FinalPath(manifest)));
            await AckAsync(fleet, device, new ClipAck(clipId, ClipAckStatus.Complete, manifest.Sha256, "already held")).ConfigureAwait(false);
            return;
        }

        Storage.WriteManifest(manifest);
        await CompleteAsync(fleet, device, clipId).ConfigureAwait(false);
    }

    private async Task OnChunkAsync(string fleet, string device, string clipId, MqttApplicationMessage message)
    {
        var (index, count, chunkBytes) = ChunkHeader.Read(message);
        if (!IsSafeFileName(clipId))
        {
            throw new InvalidDataException($"clip id '{clipId}' is not a plain file name");
        }

        if (Storage.IsHeld(fleet, device, clipId))
        {
            Interlocked.Increment(ref _duplicateChunks);
            return;
        }

        var payload = message.Payload;
        var data = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        if (!Storage.WriteChunk(fleet, device, clipId, index, count, chunkBytes, data))
        {
            Interlocked.Increment(ref _duplicateChunks);
        }

        ChunkReceived?.Invoke(fleet, device, clipId, index, count);
        await CompleteAsync(fleet, device, clipId).ConfigureAwait(false);
    }

    private async Task CompleteAsync(string fleet, string device, string clipId)
    {
        if (Storage.TryComplete(fleet, device, clipId) is not var (ack, clip))
        {
            return;
        }

        if (ack.Status == ClipAckStatus.HashMismatch)
        {
            Rejected?.Invoke($"clip {clipId} from {fleet}/{device}: SHA-256 does not match the manifest ({ack.Detail}); asked for a resend");
        }

        if (clip is not null)
        {
            ClipReceived?.Invoke(clip);
        }

        await AckAsync(fleet, device, ack).ConfigureAwait(false);
    }

    private async Task AckAsync(string fleet, string device, ClipAck ack)
    {
        var topics = new FleetTopics(fleet, device);
        await _client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topics.ClipAck(ack.ClipId))
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(ack, UplinkJson.TypeInfo<ClipAck>()))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            CancellationToken.None).ConfigureAwait(false);
    }

    private static bool IsSafeFileName(string name) =>
        name.Length is > 0 and < 200 && name == Path.GetFileName(name) && name != "." && name != ".." && !name.StartsWith('.')
        && !name.EndsWith(".tmp", StringComparison.Ordinal) && !name.EndsWith(".lock", StringComparison.Ordinal);
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Connection;
using MQTTnet.Protocol;
using MQTTnet;

namespace DataCentric.Edge.Uplink.Upload;

/// <summary>
/// Sends stored clips: a manifest, then QoS 1 chunks with a window of publishes in flight, resuming
/// after the last chunk the broker acknowledged (kept in the catalog, the outbox, so it survives
/// reconnects and restarts), under the bandwidth cap. Sizes chunks under the broker's advertised
/// packet limit and halves them when the broker refuses one as too large (PUBACK 0x95); below
/// <c>MinChunkBytes</c> it pauses with a clear reason rather than loop. Marks a clip acknowledged
/// when the receiver says it holds an intact copy.
/// </summary>
public sealed class MqttClipUploader : IAsyncDisposable
{
    /// <summary>Room for the fixed header, topic and the chunk's user properties within a packet limit.</summary>
    internal const int PacketOverheadBytes = 1024;

    /// <summary>mosquitto answers an oversized QoS 1 publish with PUBACK 0x95, which MQTTnet's enum does not name.</summary>
    internal const MqttClientPublishReasonCode PacketTooLarge = (MqttClientPublishReasonCode)0x95;

    private const int MaxInFlight = 16;
    private readonly DeviceConnection _connection;
    private readonly IUploadOutbox _catalog;
    private readonly IClipFileLocator _store;
    private readonly BandwidthLimiter _limiter;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, long> _sentAt = new(StringComparer.Ordinal);
    private readonly Lock _stateLock = new();
    private long _progressSavedAt;
    private int _brokerChunkLimit = int.MaxValue;
    private int _refusedChunkLimit = int.MaxValue;

    public MqttClipUploader(DeviceConnection connection, IUploadOutbox catalog, IClipFileLocator store, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(store);
        _connection = connection;
        _catalog = catalog;
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _limiter = new BandwidthLimiter(connection.Options.MaxBytesPerSecond, _timeProvider);
        connection.Subscribe(connection.Topics.ClipAcks, OnAckAsync);
        connection.Connected += OnConnectedAsync;
    }

    /// <summary>Raised with the clip id when the receiver confirms an intact copy.</summary>
    public event Action<string>? Acknowledged;

    /// <summary>Raised when the chunk size changes, with the new size and why.</summary>
    public event Action<int, string>? ChunkSizeChanged;

    public DeviceConnection Connection => _connection;

    public bool IsConnected => _connection.IsConnected;

    /// <summary>The chunk size in use: the configured one, lowered to fit the broker.</summary>
    public int ChunkBytes => Math.Min(_connection.Options.ChunkBytes, Math.Min(_brokerChunkLimit, _refusedChunkLimit));

    /// <summary>Why uploads are paused (the broker's packet limit is below the smallest chunk), or null.</summary>
    public string? PausedReason { get; private set; }

    public Task<bool> EnsureConnectedAsync(CancellationToken cancellationToken) => _connection.EnsureConnectedAsync(cancellationToken);

    /// <summary>Sends the manifest and every chunk the broker has not acknowledged yet.</summary>
    /// <exception cref="FileNotFoundException">The clip's file is gone.</exception>
    /// <exception cref="UploadRejectedException">The broker refused a publish for another reason than size.</exception>
    /// <exception cref="UploadPausedException">The broker's packet limit is below <c>MinChunkBytes</c>.</exception>
    public async Task UploadAsync(StoredClip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (PausedReason is { } paused)
        {
            throw new UploadPausedException(paused);
        }

        var path = _store.PathOf(clip);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Clip {clip.ClipId} is catalogued but its file is missing", path);
        }

        var chunkBytes = ChunkBytes;
        var chunkCount = ClipManifest.ChunkCountFor(clip.SizeBytes, chunkBytes);
        var topics = _connection.Topics;
        var manifest = new ClipManifest(
            clip.ClipId, topics.Fleet, topics.Device, clip.FileName, clip.SizeBytes, clip.Sha256, chunkBytes, chunkCount,
            clip.Priority, clip.TriggerIds, clip.StartWall, clip.EndWall, clip.FrameCount, clip.ModelSha256);
        await _connection.PublishJsonAsync(topics.ClipManifest(clip.ClipId), manifest, retain: false, cancellationToken).ConfigureAwait(false);
        try
        {
            await SendChunksAsync(clip, path, chunkBytes, chunkCount, cancellationToken).ConfigureAwait(false);
        }
        catch (UploadRejectedException refused) when (refused.ReasonCode == PacketTooLarge)
        {
            // Chunks already acknowledged used the old size: start this clip over at the new one.
            _catalog.UpdateUpload(clip.ClipId, UploadState.Pending, 0);
            await LowerChunkSizeAsync(chunkBytes / 2, $"the broker refused a {chunkBytes}-byte chunk as too large (PUBACK 0x95)", cancellationToken).ConfigureAwait(false);
            return;
        }

        _sentAt[clip.ClipId] = _timeProvider.GetTimestamp();
    }

    /// <summary>
    /// Sends clips that went out whole but were never acknowledged again from the start (the
    /// receiver may have lost them); returns how many.
    /// </summary>
    public int RequeueUnacknowledged(TimeSpan olderThan)
    {
        var count = 0;
        foreach (var clip in _catalog.ClipsInUploadState(UploadState.Sent, 10_000))
        {
            var since = _sentAt.GetOrAdd(clip.ClipId, _ => _timeProvider.GetTimestamp());
            if (_timeProvider.GetElapsedTime(since) >= olderThan)
            {
                _sentAt.TryRemove(clip.ClipId, out _);
                _catalog.UpdateUpload(clip.ClipId, UploadState.Pending, 0);
                count++;
            }
        }

        return count;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task SendChunksAsync(StoredClip clip, string path, int chunkBytes, int chunkCount, CancellationToken cancellationToken)
    {
        var topic = _connection.Topics.ClipChunk(clip.ClipId);
        var countProperty = Ascii(chunkCount);
        var sizeProperty = Ascii(chunkBytes);
        var inFlight = new Queue<(int Index, byte[] Buffer, Task<MqttClientPublishResult> Publish)>();
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        try
        {
            for (var index = Math.Min(clip.ChunksSent, chunkCount); index < chunkCount; index++)
            {
                if (inFlight.Count == MaxInFlight)
                {
                    await CompleteOldestAsync(inFlight, clip, chunkCount, topic).ConfigureAwait(false);
                }

                var buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
                file.Position = (long)index * chunkBytes;
                var length = await file.ReadAtLeastAsync(buffer.AsMemory(0, chunkBytes), chunkBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                await _limiter.WaitAsync(length, cancellationToken).ConfigureAwait(false);
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(topic)
                    .WithPayloadSegment(buffer.AsMemory(0, length))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithUserProperty(ChunkProperties.Index, Ascii(index))
                    .WithUserProperty(ChunkProperties.Count, countProperty)
                    .WithUserProperty(ChunkProperties.ChunkBytes, sizeProperty)
                    .Build();
                inFlight.Enqueue((index, buffer, _connection.PublishAsync(message, cancellationToken)));
            }

            while (inFlight.Count > 0)
            {
                await CompleteOldestAsync(inFlight, clip, chunkCount, topic).ConfigureAwait(false);
            }
        }
        finally
        {
            // On failure, wait for the rest before their buffers go back to the pool.
            foreach (var (_, buffer, publish) in inFlight)
            {
                await ((Task)publish).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task CompleteOldestAsync(Queue<(int Index, byte[] Buffer, Task<MqttClientPublishResult> Publish)> inFlight, StoredClip clip, int chunkCount, string topic)
    {
        var (index, buffer, publish) = inFlight.Peek();
        MqttClientPublishResult result;
        try
        {
            result = await publish.ConfigureAwait(false);
        }
        finally
        {
            inFlight.Dequeue();
            ArrayPool<byte>.Shared.Return(buffer);
        }

        PublishResults.EnsureAccepted(result, topic);

        // In order: a chunk counts only when every one before it is acknowledged too. Progress is
        // written at most every ProgressSaveInterval: a restart resends at most that much, harmlessly.
        var last = index + 1 == chunkCount;
        if (last || _timeProvider.GetElapsedTime(_progressSavedAt) >= _connection.Options.ProgressSaveInterval)
        {
            SetState(clip.ClipId, last ? UploadState.Sent : UploadState.Pending, index + 1);
            _progressSavedAt = _timeProvider.GetTimestamp();
        }
    }

    private async Task OnConnectedAsync(bool sessionPresent)
    {
        if (_connection.MaximumPacketSize is { } max)
        {
            var limit = (int)Math.Min(int.MaxValue, (long)max - PacketOverheadBytes);
            _brokerChunkLimit = limit;
            if (limit < _connection.Options.ChunkBytes)
            {
                await LowerChunkSizeAsync(limit, $"the broker's maximum packet size is {max} bytes", CancellationToken.None).ConfigureAwait(false);
            }
        }
        else
        {
            _brokerChunkLimit = int.MaxValue;
        }
    }

    private async Task LowerChunkSizeAsync(int wanted, string why, CancellationToken cancellationToken)
    {
        var minimum = _connection.Options.MinChunkBytes;
        if (wanted < minimum)
        {
            PausedReason = $"Uploads paused: {why}, below the smallest chunk allowed (Uplink:MinChunkBytes = {minimum}). Raise the broker's limit or lower MinChunkBytes.";
            await _connection.SetStatusAsync("paused", PausedReason, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Whole KiB keep the offsets readable; the broker's own limit is the upper bound.
        var size = Math.Max(minimum, wanted / 1024 * 1024);
        _refusedChunkLimit = Math.Min(_refusedChunkLimit, size);
        ChunkSizeChanged?.Invoke(ChunkBytes, why);
    }

    private Task OnAckAsync(MqttApplicationMessage message)
    {
        if (!FleetTopics.TryParseClipTopic(message.Topic, out _, out _, out var clipId, out var kind) || kind != "ack")
        {
            return Task.CompletedTask;
        }

        var ack = UplinkJson.Deserialize<ClipAck>(message.Payload);
        if (ack is null || ack.ClipId != clipId || _catalog.FindClip(clipId) is not { } clip || clip.Sha256 != ack.Sha256)
        {
            return Task.CompletedTask;
        }

        if (ack.Status == ClipAckStatus.Complete && SetState(clipId, UploadState.Acknowledged, null))
        {
            _sentAt.TryRemove(clipId, out _);
            Acknowledged?.Invoke(clipId);
        }
        else if (ack.Status == ClipAckStatus.HashMismatch)
        {
            // The receiver got a bad copy: send it all again.
            _catalog.UpdateUpload(clipId, UploadState.Pending, 0);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// One writer of upload states: the receiver's ack can overtake the broker's PUBACK of the last
    /// chunk, and Acknowledged must never fall back to Sent. False when nothing changed.
    /// </summary>
    private bool SetState(string clipId, UploadState state, int? chunksSent)
    {
        lock (_stateLock)
        {
            if (_catalog.FindClip(clipId) is not { } clip || clip.UploadState == UploadState.Acknowledged)
            {
                return false;
            }

            _catalog.UpdateUpload(clipId, state, chunksSent ?? clip.ChunksSent);
            return true;
        }
    }

    private static ReadOnlyMemory<byte> Ascii(int value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
}

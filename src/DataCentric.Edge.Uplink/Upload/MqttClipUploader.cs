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
/// after the last chunk the broker acknowledged in order (kept in the catalog, the outbox, so it
/// survives reconnects and restarts: saved every few chunks, during a stall, and at any stop that
/// lets code run), under the bandwidth cap. A manifest or chunk that no receiver is subscribed to
/// (PUBACK 0x10) stops the clip where it stands (<see cref="NoReceiverException"/>). Sizes chunks under the broker's advertised
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

    /// <summary>The most clips one requeue check reads in the Sent state.</summary>
    private const int MaxSentScan = 10_000;

    /// <summary>
    /// How long a stop waits for the PUBACKs of chunks already sent, so that they count towards the
    /// saved position (a few round trips on a working link; bounded when the broker is stalled).
    /// </summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);
    private readonly DeviceConnection _connection;
    private readonly IUploadOutbox _catalog;
    private readonly IClipFileLocator _store;
    private readonly BandwidthLimiter _limiter;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, long> _sentAt = new(StringComparer.Ordinal);
    private readonly Lock _stateLock = new();
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

    /// <summary>
    /// Raised after each catalog write of a clip's upload position, with the clip id and the chunks
    /// it now counts as sent (what a restart skips): for counting writes, and a signal for tests.
    /// </summary>
    public event Action<string, int>? ProgressSaved;

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
    /// <exception cref="NoReceiverException">No receiver is subscribed (PUBACK 0x10); the clip stays pending where it stands.</exception>
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

        var (chunkBytes, resumeAt) = ResumePoint(clip);
        var chunkCount = ClipManifest.ChunkCountFor(clip.SizeBytes, chunkBytes);
        var topics = _connection.Topics;
        var manifest = new ClipManifest(
            clip.ClipId, topics.Fleet, topics.Device, clip.FileName, clip.SizeBytes, clip.Sha256, chunkBytes, chunkCount,
            clip.Priority, clip.TriggerIds, clip.StartWall, clip.EndWall, clip.FrameCount, clip.ModelSha256);
        var published = await _connection.PublishJsonAsync(topics.ClipManifest(clip.ClipId), manifest, retain: false, cancellationToken).ConfigureAwait(false);
        if (published.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            // The broker dropped it: sending chunks now would spend the link on nobody.
            throw new NoReceiverException($"No receiver is subscribed to {topics.ClipManifest(clip.ClipId)} (PUBACK 0x10); clip {clip.ClipId} waits at chunk {clip.ChunksSent}");
        }

        try
        {
            await SendChunksAsync(clip, path, chunkBytes, chunkCount, resumeAt, cancellationToken).ConfigureAwait(false);
        }
        catch (UploadRejectedException refused) when (refused.ReasonCode == PacketTooLarge)
        {
            // Chunks already acknowledged used the old size: start this clip over at the new one.
            _catalog.UpdateUpload(clip.ClipId, UploadState.Pending, 0);
            await LowerChunkSizeAsync(chunkBytes / 2, $"the broker refused a {chunkBytes}-byte chunk as too large (PUBACK 0x95)", cancellationToken).ConfigureAwait(false);
            return;
        }

        // Only while the clip waits for its ack: the receiver may have acknowledged it already (a
        // quick one does, before the last PUBACK is handled here), and then nothing would remove it.
        lock (_stateLock)
        {
            if (_catalog.FindClip(clip.ClipId) is { UploadState: UploadState.Sent })
            {
                _sentAt[clip.ClipId] = _timeProvider.GetTimestamp();
            }
        }
    }

    /// <summary>Clips whose send time is kept for <see cref="RequeueUnacknowledged"/>: those sent whole and not yet acknowledged.</summary>
    internal int TrackedSentClips => _sentAt.Count;

    /// <summary>
    /// Sends clips that went out whole but were never acknowledged again from the start (the
    /// receiver may have lost them); returns how many.
    /// </summary>
    public int RequeueUnacknowledged(TimeSpan olderThan)
    {
        var count = 0;
        var sent = _catalog.ClipsInUploadState(UploadState.Sent, MaxSentScan);
        foreach (var clip in sent)
        {
            var since = _sentAt.GetOrAdd(clip.ClipId, _ => _timeProvider.GetTimestamp());
            if (_timeProvider.GetElapsedTime(since) >= olderThan)
            {
                _sentAt.TryRemove(clip.ClipId, out _);
                _catalog.UpdateUpload(clip.ClipId, UploadState.Pending, 0);
                count++;
            }
        }

        // A clip that left Sent another way (a hash mismatch sends it again, retention may delete it) is no longer waited for.
        if (sent.Count < MaxSentScan)
        {
            foreach (var clipId in _sentAt.Keys.Except(sent.Select(c => c.ClipId), StringComparer.Ordinal))
            {
                _sentAt.TryRemove(clipId, out _);
            }
        }

        return count;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>
    /// The chunk size and first chunk of this try. A saved position counts chunks of the size it was
    /// saved with (a catalog from before sizes were kept: the configured size), so the clip goes on
    /// in that size while the broker still takes it (the receiver holds its chunks by size and index);
    /// a size above today's limit cannot go on, and the clip starts over at the current size.
    /// </summary>
    private (int ChunkBytes, int ResumeAt) ResumePoint(StoredClip clip)
    {
        var current = ChunkBytes;
        if (clip.ChunksSent == 0)
        {
            return (current, 0);
        }

        var saved = clip.ChunkBytes > 0 ? clip.ChunkBytes : _connection.Options.ChunkBytes;
        return saved <= current ? (saved, clip.ChunksSent) : (current, 0);
    }

    private async Task SendChunksAsync(StoredClip clip, string path, int chunkBytes, int chunkCount, int resumeAt, CancellationToken cancellationToken)
    {
        var topic = _connection.Topics.ClipChunk(clip.ClipId);
        var countProperty = Ascii(chunkCount);
        var sizeProperty = Ascii(chunkBytes);
        var progress = new UploadProgress(Math.Min(resumeAt, chunkCount), chunkBytes, _connection.Options.ProgressSaveInterval, _timeProvider);
        var inFlight = new Queue<InFlightChunk>();

        // Publishes outlive a stop by StopGrace, so that PUBACKs already on their way still count.
        using var abandon = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        try
        {
            for (var index = progress.Acknowledged; index < chunkCount; index++)
            {
                // PUBACKs already in count now, not when the window fills: the saved position then
                // trails the broker by at most SaveEveryChunks, so a kill resends little more than that.
                while (inFlight.Count > 0 && inFlight.Peek().Publish.IsCompleted)
                {
                    await CompleteOldestAsync(inFlight, clip.ClipId, progress, topic, cancellationToken).ConfigureAwait(false);
                }

                if (inFlight.Count == MaxInFlight)
                {
                    await CompleteOldestAsync(inFlight, clip.ClipId, progress, topic, cancellationToken).ConfigureAwait(false);
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
                inFlight.Enqueue(new InFlightChunk(index, buffer, _connection.PublishAsync(message, abandon.Token)));
            }

            while (inFlight.Count > 0)
            {
                await CompleteOldestAsync(inFlight, clip.ClipId, progress, topic, cancellationToken).ConfigureAwait(false);
            }

            SaveProgress(clip.ClipId, UploadState.Sent, progress);
        }
        finally
        {
            // Stopped (cancellation, a lost link, a refusal, no receiver): chunks whose PUBACK is
            // already in still count, in order, and the position is saved before returning. Their
            // buffers go back to the pool only once the client is done with them.
            abandon.CancelAfter(StopGrace);
            var inOrder = true;
            while (inFlight.TryDequeue(out var chunk))
            {
                await ((Task)chunk.Publish).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                ArrayPool<byte>.Shared.Return(chunk.Buffer);
                inOrder = inOrder && chunk.Index == progress.Acknowledged
                    && chunk.Publish.IsCompletedSuccessfully && chunk.Publish.Result.ReasonCode == MqttClientPublishReasonCode.Success;
                if (inOrder)
                {
                    progress.Acknowledge(chunk.Index);
                }
            }

            if (progress.IsUnsaved)
            {
                SaveProgress(clip.ClipId, UploadState.Pending, progress);
            }
        }
    }

    private async Task CompleteOldestAsync(
        Queue<InFlightChunk> inFlight, string clipId, UploadProgress progress, string topic, CancellationToken cancellationToken)
    {
        var (index, buffer, publish) = inFlight.Peek();
        await WaitSavingProgressAsync(publish, clipId, progress, cancellationToken).ConfigureAwait(false);
        inFlight.Dequeue();
        ArrayPool<byte>.Shared.Return(buffer);

        var result = await publish.ConfigureAwait(false);
        PublishResults.EnsureAccepted(result, topic);
        if (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            // The receiver went away mid-clip: this chunk is gone, the ones before it are not.
            throw new NoReceiverException($"No receiver is subscribed to {topic} (PUBACK 0x10); clip {clipId} waits at chunk {index}");
        }

        progress.Acknowledge(index);
        if (progress.IsWorthSaving)
        {
            SaveProgress(clipId, UploadState.Pending, progress);
        }
    }

    /// <summary>
    /// Waits until <paramref name="publish"/> completes or the upload stops. While the broker keeps
    /// the uploader waiting, what it already acknowledged is saved (once <c>ProgressSaveInterval</c>
    /// has passed since the last write), so a kill during a stall resends none of it.
    /// </summary>
    private async Task WaitSavingProgressAsync(Task publish, string clipId, UploadProgress progress, CancellationToken cancellationToken)
    {
        while (!publish.IsCompleted)
        {
            if (progress.IsUnsaved && progress.SaveDueIn <= TimeSpan.Zero)
            {
                SaveProgress(clipId, UploadState.Pending, progress);
            }

            var wait = progress.IsUnsaved ? (progress.SaveDueIn > TimeSpan.Zero ? progress.SaveDueIn : TimeSpan.Zero) : Timeout.InfiniteTimeSpan;
            await publish.WaitAsync(wait, _timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void SaveProgress(string clipId, UploadState state, UploadProgress progress)
    {
        if (SetState(clipId, state, progress.Acknowledged, progress.ChunkBytes))
        {
            ProgressSaved?.Invoke(clipId, progress.Acknowledged);
        }

        progress.MarkSaved();
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

        if (ack.Status == ClipAckStatus.Complete && SetState(clipId, UploadState.Acknowledged, null, 0))
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
    /// <param name="chunkBytes">The size <paramref name="chunksSent"/> counts in; ignored when that is null.</param>
    private bool SetState(string clipId, UploadState state, int? chunksSent, int chunkBytes)
    {
        lock (_stateLock)
        {
            if (_catalog.FindClip(clipId) is not { } clip || clip.UploadState == UploadState.Acknowledged)
            {
                return false;
            }

            if (chunksSent is { } position)
            {
                _catalog.UpdateUpload(clipId, state, position, chunkBytes);
            }
            else
            {
                _catalog.UpdateUpload(clipId, state, clip.ChunksSent);
            }

            return true;
        }
    }

    private static ReadOnlyMemory<byte> Ascii(int value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    private readonly record struct InFlightChunk(int Index, byte[] Buffer, Task<MqttClientPublishResult> Publish);
}

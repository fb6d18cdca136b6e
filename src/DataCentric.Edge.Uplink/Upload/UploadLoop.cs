using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Uplink.Broker;
using MQTTnet.Exceptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Uplink.Upload;

/// <summary>
/// The uplink loop: (re)connects with backoff on its own timer (never from the client's disconnect
/// handler), pings while idle, and drains the catalog's outbox one clip at a time, highest priority
/// first among the clips the upload gate lets out. The outbox is the catalog, so a wake-up lost or
/// a restart loses nothing. A broker limit that uploads cannot fit pauses the loop with one clear
/// message; the session stays up and nothing reconnects in a loop. While no receiver is subscribed
/// (PUBACK 0x10) it tries again after <c>Uplink:NoReceiverRetry</c>, doubling up to
/// <c>Uplink:MaxNoReceiverRetry</c>: one manifest per try, and a receiver that comes back gets the
/// clip within that wait rather than after <c>Uplink:AckTimeout</c>.
/// </summary>
public sealed partial class UploadLoop : IDisposable
{
    private const int OutboxWindow = 256;
    private readonly MqttClipUploader _uploader;
    private readonly IUploadOutbox _catalog;
    private readonly IUploadGate _gate;
    private readonly UploadRequests _requests;
    private readonly UplinkOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);

    public UploadLoop(
        MqttClipUploader uploader, IUploadOutbox catalog, IUploadGate gate, UploadRequests requests, TimeProvider timeProvider, ILogger<UploadLoop>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(uploader);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _uploader = uploader;
        _catalog = catalog;
        _gate = gate;
        _requests = requests;
        _options = uploader.Connection.Options;
        _timeProvider = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        requests.Requested += Wake;
        uploader.ChunkSizeChanged += (size, why) => LogChunkSize(size, why);
    }

    /// <summary>A clip went out whole (every chunk acknowledged by the broker).</summary>
    public event Action<StoredClip>? Sent;

    /// <summary>Raised when a clip found no receiver (PUBACK 0x10), with the wait before the next try.</summary>
    public event Action<TimeSpan>? NoReceiver;

    /// <summary>How long to wait between looks at the outbox when nothing wakes the loop.</summary>
    public TimeSpan IdleRecheck { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Connection attempts that failed so far (for reports and tests).</summary>
    public int FailedAttempts { get; private set; }

    /// <summary>New work may be there (a clip stored, a pull requested).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = _options.ReconnectDelay;
        var noReceiverDelay = _options.NoReceiverRetry;
        var noReceiverTries = 0;
        var pausedLogged = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!await _uploader.EnsureConnectedAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new MqttCommunicationException("connection refused by the broker");
                }

                delay = _options.ReconnectDelay;
                if (_uploader.PausedReason is { } paused)
                {
                    // Reconnecting cannot fix a broker limit: say so once, keep the session, wait.
                    if (!pausedLogged)
                    {
                        LogPaused(paused);
                        pausedLogged = true;
                    }

                    await IdleAsync(_options.MaxReconnectDelay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                RequeueAcknowledgedPulls();
                var next = _catalog.PendingUploads(OutboxWindow).FirstOrDefault(_gate.MayUpload);
                if (next is null)
                {
                    await IdleAsync(IdleRecheck, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await UploadOneAsync(next, cancellationToken).ConfigureAwait(false);
                if (noReceiverTries > 0)
                {
                    LogReceiverBack(noReceiverTries);
                    (noReceiverTries, noReceiverDelay) = (0, _options.NoReceiverRetry);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (NoReceiverException e)
            {
                // Every clip goes to the same receivers: wait, then try the highest-priority one again.
                if (noReceiverTries++ == 0)
                {
                    LogNoReceiver(e.Message, noReceiverDelay);
                }

                var wait = Task.Delay(noReceiverDelay, _timeProvider, cancellationToken);
                NoReceiver?.Invoke(noReceiverDelay);
                await wait.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                noReceiverDelay = TimeSpan.FromTicks(Math.Min(noReceiverDelay.Ticks * 2, _options.MaxNoReceiverRetry.Ticks));
            }
            catch (Exception e) when (e is MqttCommunicationException or TimeoutException or OperationCanceledException or UploadRejectedException or IOException)
            {
                FailedAttempts++;
                LogUplinkDown(e.Message, delay);
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }

    public void Dispose() => _wake.Dispose();

    /// <summary>
    /// A pull that came after a clip's last chunk went up re-queues it, but the ack for that earlier
    /// copy can land just after and mark it acknowledged: the asker, who subscribed too late for that
    /// copy, would wait for ever. Between uploads a clip still requested was not sent since: send it again.
    /// </summary>
    private void RequeueAcknowledgedPulls()
    {
        foreach (var clipId in _requests.RequestedIds)
        {
            if (_catalog.FindClip(clipId) is { UploadState: UploadState.Acknowledged, FileState: ClipFileState.Stored })
            {
                _catalog.UpdateUpload(clipId, UploadState.Pending, 0);
            }
        }
    }

    private async Task UploadOneAsync(StoredClip clip, CancellationToken cancellationToken)
    {
        try
        {
            var ticket = _requests.Ticket(clip.ClipId);
            await _uploader.UploadAsync(clip, cancellationToken).ConfigureAwait(false);
            while (_catalog.FindClip(clip.ClipId) is { UploadState: UploadState.Sent or UploadState.Acknowledged } sent)
            {
                if (_requests.Done(clip.ClipId, ticket))
                {
                    LogSent(clip.ClipId, clip.Priority, clip.SizeBytes);
                    Sent?.Invoke(sent);
                    break;
                }

                // Pulled while it was going up: the asker's receiver may have missed the first chunks, so it goes again whole.
                ticket = _requests.Ticket(clip.ClipId);
                LogSentAgain(clip.ClipId);
                await _uploader.UploadAsync(sent with { ChunksSent = 0 }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (FileNotFoundException)
        {
            _catalog.UpdateUpload(clip.ClipId, UploadState.FileMissing, clip.ChunksSent);
            _requests.Done(clip.ClipId);
            LogMissing(clip.ClipId);
        }
        catch (UploadPausedException)
        {
            // Reported by the loop on its next turn.
        }
    }

    private async Task IdleAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        await _wake.WaitAsync(wait, _timeProvider, cancellationToken).ConfigureAwait(false);

        // A half-open link shows up here rather than at the next publish; the loop reconnects.
        await _uploader.Connection.PingAsync(cancellationToken).ConfigureAwait(false);
        var requeued = _uploader.RequeueUnacknowledged(_options.AckTimeout);
        if (requeued > 0)
        {
            LogRequeued(requeued, _options.AckTimeout);
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "Uplink unavailable ({Reason}); retrying in {Delay}")]
    private partial void LogUplinkDown(string reason, TimeSpan delay);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Clip {ClipId} sent (priority {Priority}, {Bytes} bytes)")]
    private partial void LogSent(string clipId, int priority, long bytes);

    [LoggerMessage(EventId = 509, Level = LogLevel.Information, Message = "Clip {ClipId} was pulled while it went up; sending it again whole for the asker")]
    private partial void LogSentAgain(string clipId);

    [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "Clip {ClipId} is catalogued but its file is missing; marked FileMissing")]
    private partial void LogMissing(string clipId);

    [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "{Reason}")]
    private partial void LogPaused(string reason);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "Chunk size now {ChunkBytes} bytes: {Reason}")]
    private partial void LogChunkSize(int chunkBytes, string reason);

    [LoggerMessage(EventId = 507, Level = LogLevel.Warning, Message = "{Reason}; trying again in {Delay}, then at most every {MaxDelay} until a receiver is there")]
    private partial void LogNoReceiverCore(string reason, TimeSpan delay, TimeSpan maxDelay);

    [LoggerMessage(EventId = 508, Level = LogLevel.Information, Message = "A receiver is there again after {Tries} tries; uploads go on")]
    private partial void LogReceiverBack(int tries);

    private void LogNoReceiver(string reason, TimeSpan delay) => LogNoReceiverCore(reason, delay, _options.MaxNoReceiverRetry);

    [LoggerMessage(EventId = 506, Level = LogLevel.Warning, Message = "{Count} clips sent but not acknowledged within {AckTimeout}; sending them again")]
    private partial void LogRequeued(int count, TimeSpan ackTimeout);
}

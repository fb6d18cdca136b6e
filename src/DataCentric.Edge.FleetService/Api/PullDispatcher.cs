using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// Sends recorded pulls to their devices through the <see cref="OperatorLink"/>: <c>listClips</c> over the
/// pull's window, then <c>pullClip</c> for each listed clip the fleet has not acknowledged. The pull ends
/// <c>sent</c> ("3 clips queued"), <c>completed</c> (nothing left to upload) or <c>failed</c> (the device
/// refused, or every try ran out). A device that is not listening or does not answer keeps the pull
/// <c>requested</c> and it is tried again after <see cref="OperatorOptions.RetryDelay"/>, doubling up to
/// <see cref="OperatorOptions.MaxRetryDelay"/>, at most <see cref="OperatorOptions.MaxAttempts"/> times.
/// </summary>
internal sealed class PullDispatcher : BackgroundService
{
    private readonly OperatorLink _link;
    private readonly IPullRequests _pulls;
    private readonly TimeProvider _time;
    private readonly ILogger<PullDispatcher> _logger;
    private readonly Channel<PullWork> _queue;
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);

    /// <summary>How a pull's detail begins when the device no longer holds any of its window (the console shows it as such).</summary>
    public const string GoneFromDevice = "the window is no longer on the device";

    public PullDispatcher(OperatorLink link, IPullRequests pulls, TimeProvider time, ILogger<PullDispatcher> logger)
    {
        _link = link;
        _pulls = pulls;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<PullWork>(new BoundedChannelOptions(Math.Max(1, link.Options.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues a recorded pull for sending; false when the link is off, the pull is already held, or the queue is full (it stays requested).</summary>
    public bool Enqueue(string pullId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pullId);
        if (!_link.IsConfigured || !_held.TryAdd(pullId, 0))
        {
            return false;
        }

        if (_queue.Writer.TryWrite(new PullWork(pullId, 1)))
        {
            return true;
        }

        _held.TryRemove(pullId, out _);
        OperatorLog.QueueFull(_logger, pullId, _link.Options.QueueCapacity);
        return false;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_link.IsConfigured)
        {
            OperatorLog.NotConfigured(_logger);
            return Task.CompletedTask;
        }

        OperatorLog.Ready(_logger, _link.Options.ClientId, _link.Endpoint, _link.Options.Concurrency);
        return Task.WhenAll(Enumerable.Range(0, _link.Options.Concurrency).Select(_ => WorkAsync(stoppingToken)));
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await DispatchAsync(work, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // A worker carries on: the pull stays as it was (requested), and posting it again queues it again.
                    OperatorLog.DispatchFault(_logger, work.PullId, e);
                    _held.TryRemove(work.PullId, out _);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DispatchAsync(PullWork work, CancellationToken cancellationToken)
    {
        if (await _pulls.GetPullAsync(work.PullId, cancellationToken).ConfigureAwait(false) is not { State: PullState.Requested } pull)
        {
            _held.TryRemove(work.PullId, out _);
            return; // Gone, or moved on (cancelled, sent by another instance).
        }

        var outcome = await SendAsync(pull, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (outcome.Retry && work.Attempt < _link.Options.MaxAttempts)
        {
            var delay = RetryDelay(work.Attempt);
            var detail = $"try {work.Attempt} of {_link.Options.MaxAttempts}: {outcome.Detail}; next try at {now + delay:O}";
            if (!await _pulls.TryMovePullAsync(pull.PullId, PullState.Requested, PullState.Requested, detail, now, cancellationToken).ConfigureAwait(false))
            {
                _held.TryRemove(pull.PullId, out _);
                return; // Cancelled while it was being sent: no further try.
            }

            OperatorLog.PullRetry(_logger, pull.PullId, pull.Fleet, pull.Device, work.Attempt, outcome.Detail, delay);
            _ = RetryLaterAsync(work with { Attempt = work.Attempt + 1 }, delay, cancellationToken);
            return;
        }

        var state = outcome.Retry ? PullState.Failed : outcome.State;
        var final = outcome.Retry ? $"gave up after {work.Attempt} tries: {outcome.Detail}" : outcome.Detail;
        // Only from requested: a cancel that came while the device was asked stays (the service withdrew the pull).
        var moved = await _pulls.TryMovePullAsync(pull.PullId, PullState.Requested, state, final, now, cancellationToken).ConfigureAwait(false);
        _held.TryRemove(pull.PullId, out _);
        if (!moved)
        {
            return;
        }

        if (state == PullState.Failed)
        {
            OperatorLog.PullFailed(_logger, pull.PullId, pull.Fleet, pull.Device, final);
        }
        else
        {
            OperatorLog.PullSent(_logger, pull.PullId, pull.Fleet, pull.Device, final);
        }
    }

    private async Task<Outcome> SendAsync(PullRequest pull, CancellationToken cancellationToken)
    {
        var timeout = _link.Options.CommandTimeout;
        try
        {
            var client = await _link.GetClientAsync(cancellationToken).ConfigureAwait(false);
            var listed = await client.SendAsync(
                pull.Fleet, pull.Device,
                new CommandRequest(CommandNames.ListClips) { From = pull.WindowFrom, To = pull.WindowTo, Limit = _link.Options.MaxClipsPerPull },
                timeout, cancellationToken).ConfigureAwait(false);
            if (!listed.Ok)
            {
                return Outcome.Final(PullState.Failed, $"the device refused listClips: {listed.Error}");
            }

            var clips = ReadClips(listed);
            if (clips is null)
            {
                return Outcome.Final(PullState.Failed, "the device's listClips answer is not a list of clips");
            }

            if (clips.Count == 0)
            {
                return await FromRecentBufferAsync(client, pull, cancellationToken).ConfigureAwait(false);
            }

            var wanted = clips.Where(c => c.UploadState != UploadState.Acknowledged).ToList();
            if (wanted.Count == 0)
            {
                return Outcome.Final(PullState.Completed, clips.Count == 0
                    ? "nothing to upload: the device holds no clip in the window"
                    : $"nothing to upload: the {clips.Count} clips in the window are already acknowledged");
            }

            var queued = 0;
            var refused = new List<string>();
            foreach (var clip in wanted)
            {
                var reply = await client.SendAsync(pull.Fleet, pull.Device, new CommandRequest(CommandNames.PullClip) { ClipId = clip.ClipId }, timeout, cancellationToken)
                    .ConfigureAwait(false);
                if (!reply.Ok)
                {
                    refused.Add($"{clip.ClipId}: {reply.Error}");
                }
                else if (reply.Result?.Deserialize(UplinkJson.TypeInfo<PullResult>()) is { Queued: true })
                {
                    queued++;
                }
            }

            var detail = $"{queued} {(queued == 1 ? "clip" : "clips")} queued" + (wanted.Count - queued - refused.Count is > 0 and var already ? $", {already} already on their way" : string.Empty)
                + (clips.Count - wanted.Count is > 0 and var acked ? $", {acked} already acknowledged" : string.Empty)
                + (refused.Count > 0 ? $"; refused: {string.Join("; ", refused)}" : string.Empty);
            return refused.Count == wanted.Count ? Outcome.Final(PullState.Failed, $"the device refused every pullClip: {string.Join("; ", refused)}") : Outcome.Final(PullState.Sent, detail);
        }
        catch (DeviceNotListeningException e)
        {
            return Outcome.Again($"device not listening: {e.Message}");
        }
        catch (TimeoutException e)
        {
            return Outcome.Again($"timeout: {e.Message}");
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException e)
        {
            return Outcome.Again($"operator link: {e.Message}");
        }
    }

    /// <summary>
    /// No stored clip overlaps the window: <c>pullWindow</c> asks the device to cut what its recorder's ring still holds of it,
    /// and otherwise says what it does hold ("nothing of A to B is left on this device: ..."), which fails the pull with those
    /// words. A device that refuses for another reason (an older agent, a window over its limit) leaves the listClips answer.
    /// </summary>
    private async Task<Outcome> FromRecentBufferAsync(FleetClient client, PullRequest pull, CancellationToken cancellationToken)
    {
        var reply = await client.SendAsync(
            pull.Fleet, pull.Device, new CommandRequest(CommandNames.PullWindow) { From = pull.WindowFrom, To = pull.WindowTo }, _link.Options.CommandTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (!reply.Ok)
        {
            return reply.Error?.StartsWith("nothing of ", StringComparison.Ordinal) == true
                ? Outcome.Final(PullState.Failed, $"{GoneFromDevice}: {reply.Error}")
                : Outcome.Final(PullState.Completed, "nothing to upload: the device holds no clip in the window");
        }

        var cut = reply.Result?.Deserialize(UplinkJson.TypeInfo<PullWindowResult>())?.FromBuffer.Count ?? 0;
        return cut == 0
            ? Outcome.Final(PullState.Completed, "nothing to upload: the device holds no clip in the window")
            : Outcome.Final(PullState.Sent, $"{cut} {(cut == 1 ? "part" : "parts")} of the window cut from the device's recent buffer, uploading as {(cut == 1 ? "a new clip" : "new clips")}");
    }

    private static List<ClipSummary>? ReadClips(CommandReply reply)
    {
        try
        {
            return reply.Result?.Deserialize(UplinkJson.TypeInfo<List<ClipSummary>>());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private TimeSpan RetryDelay(int attempt)
    {
        var options = _link.Options;
        var ticks = options.RetryDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        return ticks >= options.MaxRetryDelay.Ticks ? options.MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    private async Task RetryLaterAsync(PullWork work, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            await _queue.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the pull stays requested.
        }
    }

    private readonly record struct PullWork(string PullId, int Attempt);

    private readonly record struct Outcome(bool Retry, PullState State, string Detail)
    {
        public static Outcome Again(string reason) => new(true, PullState.Requested, reason);

        public static Outcome Final(PullState state, string detail) => new(false, state, detail);
    }
}

using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording;
using DataCentric.Edge.Core.Signals;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>
/// Owns the recorder: feeds it frames, signal samples and trigger events, and passes finished
/// clips to storage. Drains its inputs on a short period rather than per item, which keeps the
/// recorder single-threaded without a lock.
/// </summary>
internal sealed partial class RecorderWorker(
    ClipRecorder recorder,
    SignalBus bus,
    PipelineChannels channels,
    ClipMetadata metadata,
    MonotonicClock clock,
    AgentMetrics metrics,
    ILogger<RecorderWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ShutdownHandOver = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tap = bus.OpenTap(capacity: 8192);
        var completed = new List<ClipContent>();
        var outgoing = new Queue<ClipContent>();
        using var timer = new PeriodicTimer(Period, clock.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                while (channels.RecorderFrames.Reader.TryRead(out var frame))
                {
                    recorder.Add(frame);
                }

                while (tap.Reader.TryRead(out var update))
                {
                    recorder.Add(update);
                }

                while (channels.TriggerEvents.Reader.TryRead(out var triggerEvent))
                {
                    if (!recorder.OnTrigger(triggerEvent))
                    {
                        metrics.CountClipFailure();
                        LogRefused(triggerEvent.EventId, recorder.PendingClips);
                    }
                }

                completed.Clear();
                recorder.CollectCompleted(completed, metadata.Values);
                completed.ForEach(outgoing.Enqueue);
                await SendAsync(outgoing, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await HandOverAtShutdownAsync(outgoing).ConfigureAwait(false);
        }
    }

    /// <summary>A clip leaves the queue only once storage's channel has taken it.</summary>
    private async Task SendAsync(Queue<ClipContent> outgoing, CancellationToken cancellationToken)
    {
        while (outgoing.TryPeek(out var clip))
        {
            await channels.Clips.Writer.WriteAsync(clip, cancellationToken).ConfigureAwait(false);
            outgoing.Dequeue();
        }
    }

    /// <summary>
    /// Shutdown: finished clips not yet handed over, and clips still waiting for their post window
    /// (cut short at the newest data), go to storage, which stops after this worker. Bounded, so a
    /// stuck storage cannot hold the shutdown.
    /// </summary>
    private async Task HandOverAtShutdownAsync(Queue<ClipContent> outgoing)
    {
        var pending = new List<ClipContent>();
        recorder.CollectAllPending(pending, metadata.Values);
        foreach (var clip in pending)
        {
            LogCutShort(clip.ClipId, clip.End - clip.Start);
            outgoing.Enqueue(clip);
        }

        using var timeout = new CancellationTokenSource(ShutdownHandOver, clock.TimeProvider);
        try
        {
            await SendAsync(outgoing, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogHandOverTimedOut(outgoing.Count);
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "Trigger event {EventId} not recorded: {Pending} clips already waiting")]
    private partial void LogRefused(string eventId, int pending);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Clip {ClipId} cut short at shutdown ({Length} recorded)")]
    private partial void LogCutShort(string clipId, TimeSpan length);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "Shutdown: storage did not take {Count} clips in time; they are not written")]
    private partial void LogHandOverTimedOut(int count);
}

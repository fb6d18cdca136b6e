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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tap = bus.OpenTap(capacity: 8192);
        var completed = new List<ClipContent>();
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
                foreach (var clip in completed)
                {
                    await channels.Clips.Writer.WriteAsync(clip, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: clips still waiting for their post window are not written.
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "Trigger event {EventId} not recorded: {Pending} clips already waiting")]
    private partial void LogRefused(string eventId, int pending);
}

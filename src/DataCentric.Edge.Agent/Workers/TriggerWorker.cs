using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>
/// Evaluates the active trigger set on a fixed tick, following <see cref="ActiveTriggerSet"/>. Each event is catalogued, reported and handed
/// to the recorder; that hand-off waits rather than drops, so no trigger decision is lost silently.
/// </summary>
internal sealed partial class TriggerWorker(
    ActiveTriggerSet activeSet,
    TriggerEngine triggerEngine,
    MonotonicClock clock,
    IEventLog catalog,
    ClipMetadata clipMetadata,
    PipelineChannels channels,
    PipelineEvents events,
    AgentMetrics metrics,
    IOptions<PipelineOptions> options,
    ILogger<TriggerWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A remote set (validated whole, signed) swaps in atomically between ticks; the engine follows
        // the active set, rollbacks included. The engine is shared: its counters are read elsewhere.
        using var logActive = activeSet.Subscribe(change => LogActive(change.Set.Version, change.Set.Triggers.Count));
        using var timer = new PeriodicTimer(options.Value.TriggerTick, clock.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var now = clock.Now;
                var tick = triggerEngine.EvaluateTick(now);
                metrics.RecordTriggerLag(now - tick.Instant);
                if (tick.DryRunEvent is { } dryRun)
                {
                    Report(dryRun);
                }

                if (tick.Event is { } triggerEvent)
                {
                    Report(triggerEvent);
                    await channels.TriggerEvents.Writer.WriteAsync(triggerEvent, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private void Report(TriggerEvent triggerEvent)
    {
        metrics.CountTriggerEvent();
        catalog.AddEvent(new StoredEvent(
            triggerEvent.EventId,
            [.. triggerEvent.Triggers.Select(t => t.TriggerId)],
            triggerEvent.WallClock,
            triggerEvent.Priority,
            triggerEvent.DryRun,
            triggerEvent.TriggerSetVersion,
            clipMetadata.ModelSha256));
        events.OnTriggerFired(triggerEvent);
    }

    [LoggerMessage(EventId = 250, Level = LogLevel.Information, Message = "Trigger set version {Version} active with {Count} triggers")]
    private partial void LogActive(int version, int count);
}

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
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>
/// Evaluates the active trigger set on a fixed tick, following swaps of <see cref="ActiveTriggerSet"/>. Each event is catalogued, reported and handed
/// to the recorder; that hand-off waits rather than drops, so no trigger decision is lost silently.
/// </summary>
internal sealed partial class TriggerWorker(
    ActiveTriggerSet activeSet,
    SignalBus bus,
    MonotonicClock clock,
    IClipCatalog catalog,
    ClipMetadata clipMetadata,
    PipelineChannels channels,
    PipelineEvents events,
    AgentMetrics metrics,
    IOptions<PipelineOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<TriggerWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var initialSet = activeSet.Current;
        var triggerEngine = new TriggerEngine(initialSet, bus, clock, logger: loggerFactory.CreateLogger<TriggerEngine>());
        LogActive(initialSet.Version, initialSet.Triggers.Count);

        // A remote set (validated whole, signed) swaps in atomically between ticks. The engine only
        // moves forward in version: a rollback starts a fresh engine on the older set instead.
        void OnActivated(CompiledTriggerSet set)
        {
            var current = Volatile.Read(ref triggerEngine);
            if (set.Version > current.ActiveSet.Version)
            {
                current.Activate(set);
            }
            else
            {
                Volatile.Write(ref triggerEngine, new TriggerEngine(set, bus, clock, logger: loggerFactory.CreateLogger<TriggerEngine>()));
            }

            LogActive(set.Version, set.Triggers.Count);
        }

        activeSet.Activated += OnActivated;
        using var timer = new PeriodicTimer(options.Value.TriggerTick, clock.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var now = clock.Now;
                var tick = Volatile.Read(ref triggerEngine).EvaluateTick(now);
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
        finally
        {
            activeSet.Activated -= OnActivated;
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

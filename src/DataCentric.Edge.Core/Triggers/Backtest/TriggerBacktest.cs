using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Engine;
using DataCentric.Edge.Core.Triggers.Language;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Core.Triggers.Backtest;

/// <summary>
/// Replays recorded signal samples through a trigger set with the real engine and reports per
/// trigger what it would have done: fires, fires per hour, clip bytes per hour, and recall and
/// precision against ground truth. The fleet manager's "what will this cost?" before a push.
/// </summary>
public static class TriggerBacktest
{
    public static BacktestReport Run(CompiledTriggerSet set, IEnumerable<BacktestSample> samples, BacktestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(samples);
        options ??= new BacktestOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.TickInterval, TimeSpan.Zero);

        var ordered = samples.OrderBy(s => s.Time).ToList();
        var start = ordered.Count > 0 ? ordered[0].Time : TimeSpan.Zero;
        var end = ordered.Count > 0 ? ordered[^1].Time : TimeSpan.Zero;
        var bus = new SignalBus(new SignalBusOptions { HistoryCapacity = options.HistoryCapacity });
        var ids = new Dictionary<string, SignalId>(StringComparer.Ordinal);
        foreach (var (name, kind) in set.Signals)
        {
            ids[name] = bus.Register(name, kind);
        }

        var embeddingKnown = ordered.Any(s => s.Signal == set.EmbeddingSignal && s.Value.Kind == SignalKind.Vector);
        if (embeddingKnown && !ids.ContainsKey(set.EmbeddingSignal))
        {
            ids[set.EmbeddingSignal] = bus.Register(set.EmbeddingSignal, SignalKind.Vector);
        }

        var clock = new MonotonicClock(new ReplayTimeProvider(options.WallClockAtStart - start));
        using var engine = new TriggerEngine(set, bus, clock, options.Engine);
        var events = new List<TriggerEvent>();
        var fireTimes = set.Triggers.ToDictionary(t => t.Id, _ => new List<TimeSpan>(), StringComparer.Ordinal);
        var duplicates = new DuplicateTracker(set, bus, embeddingKnown ? ids[set.EmbeddingSignal] : null, options.NearDuplicateDistance);

        var next = 0;
        long ticks = 0;
        for (var now = start; now <= end; now += options.TickInterval)
        {
            for (; next < ordered.Count && ordered[next].Time <= now; next++)
            {
                var sample = ordered[next];
                if (ids.TryGetValue(sample.Signal, out var id))
                {
                    bus.Publish(id, sample.Value, sample.Time);
                }
            }

            ticks++;
            var tick = engine.EvaluateTick(now);
            foreach (var fired in new[] { tick.Event, tick.DryRunEvent })
            {
                if (fired is null)
                {
                    continue;
                }

                events.Add(fired);
                foreach (var hit in fired.Triggers)
                {
                    fireTimes[hit.TriggerId].Add(now);
                    duplicates.Observe(hit.TriggerId);
                }
            }
        }

        var duration = end - start;
        var hours = Math.Max(duration.TotalHours, 1e-9);
        var counters = engine.GetCounters().ToDictionary(c => c.TriggerId, StringComparer.Ordinal);
        var reports = set.Triggers.Select(trigger =>
        {
            var times = fireTimes[trigger.Id];
            var bytes = options.Engine.EstimateClipBytes?.Invoke(trigger)
                ?? (long)((trigger.Pre + trigger.Post).TotalSeconds * options.Engine.EstimatedClipBytesPerSecond);
            var (recall, precision) = Score(trigger.Id, times, options);
            return new BacktestTriggerReport(
                trigger.Id,
                times.Count,
                times.Count / hours,
                times.Count * (double)bytes / hours,
                recall,
                precision,
                duplicates.Share(trigger.Id),
                counters[trigger.Id],
                times);
        }).ToList();
        return new BacktestReport(duration, ticks, reports, events);
    }

    private static (double? Recall, double? Precision) Score(string triggerId, List<TimeSpan> fires, BacktestOptions options)
    {
        var truth = options.GroundTruth?.Where(g => g.TriggerId is null || g.TriggerId == triggerId).ToList();
        if (truth is null || truth.Count == 0)
        {
            return (null, null);
        }

        bool Inside(TimeSpan t, GroundTruthInterval g) => t >= g.Start - options.MatchTolerance && t <= g.End + options.MatchTolerance;
        var found = truth.Count(g => fires.Any(f => Inside(f, g)));
        var correct = fires.Count(f => truth.Any(g => Inside(f, g)));
        return ((double)found / truth.Count, fires.Count == 0 ? null : (double)correct / fires.Count);
    }

    /// <summary>Wall clock of the recording: fixed, so event wall-clock times are start + monotonic time.</summary>
    private sealed class ReplayTimeProvider(DateTimeOffset origin) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => origin;

        public override long GetTimestamp() => 0;
    }

    /// <summary>Compares the embedding at each fire with the earlier fires of the same trigger.</summary>
    private sealed class DuplicateTracker(CompiledTriggerSet set, SignalBus bus, SignalId? embeddingId, double distance)
    {
        private readonly Dictionary<string, (EmbeddingReference Reference, int Fires, int Duplicates)> _byTrigger =
            set.Triggers.ToDictionary(t => t.Id, _ => (new EmbeddingReference(set.Limits.NoveltyReferenceSize), 0, 0), StringComparer.Ordinal);

        public void Observe(string triggerId)
        {
            if (embeddingId is null || !bus.TryGetLatest(embeddingId.Value, out var sample) || sample.Value.Reference is not float[] embedding)
            {
                return;
            }

            var (reference, fires, duplicates) = _byTrigger[triggerId];
            var duplicate = reference.Count > 0 && reference.NearestDistance(embedding) < distance;
            reference.Add(embedding);
            _byTrigger[triggerId] = (reference, fires + 1, duplicates + (duplicate ? 1 : 0));
        }

        public double? Share(string triggerId) =>
            embeddingId is null || _byTrigger[triggerId].Fires == 0 ? null : (double)_byTrigger[triggerId].Duplicates / _byTrigger[triggerId].Fires;
    }
}

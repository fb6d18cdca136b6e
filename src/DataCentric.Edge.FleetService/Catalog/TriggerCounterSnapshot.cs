using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// One trigger's cumulative counts from one <see cref="TriggerCountersReport"/>, as stored: unique by
/// (fleet, device, trigger, startedAt, at), so a replayed report inserts nothing.
/// </summary>
internal sealed record TriggerCounterSnapshot(
    string Fleet,
    string Device,
    string TriggerId,
    DateTimeOffset StartedAt,
    DateTimeOffset At,
    int TriggerSetVersion,
    long[] Counts)
{
    /// <summary>The kinds each snapshot holds, in the order of <see cref="Counts"/> (and of the columns).</summary>
    public static readonly string[] Kinds =
    [
        TriggerCountKinds.Evaluations,
        TriggerCountKinds.Fires,
        TriggerCountKinds.DryRunFires,
        TriggerCountKinds.SuppressedCooldown,
        TriggerCountKinds.SuppressedBudget,
        TriggerCountKinds.SuppressedSampling,
        TriggerCountKinds.SuppressedDuplicate,
        TriggerCountKinds.MissingSignal,
    ];

    /// <summary>Validates a report and splits it into one snapshot per trigger (a trigger listed twice keeps its first entry).</summary>
    public static List<TriggerCounterSnapshot> From(TriggerCountersReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var fleet = CatalogGuard.Id(report.Fleet, nameof(report.Fleet));
        var device = CatalogGuard.Id(report.Device, nameof(report.Device));
        ArgumentNullException.ThrowIfNull(report.Counters, nameof(report.Counters));
        var (startedAt, at) = (CatalogGuard.Time(report.StartedAt), CatalogGuard.Time(report.At));
        if (at < startedAt)
        {
            throw new ArgumentException($"The report was read at {at:O}, before counting started ({startedAt:O}).", nameof(report.At));
        }

        var snapshots = new List<TriggerCounterSnapshot>(report.Counters.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in report.Counters)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(report.Counters));
            var trigger = CatalogGuard.Id(entry.TriggerId, nameof(entry.TriggerId));
            long[] counts =
            [
                entry.Evaluations, entry.Fires, entry.DryRunFires, entry.SuppressedCooldown,
                entry.SuppressedBudget, entry.SuppressedSampling, entry.SuppressedDuplicate, entry.MissingSignal,
            ];
            foreach (var count in counts)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(report.Counters));
            }

            if (seen.Add(trigger))
            {
                snapshots.Add(new(fleet, device, trigger, startedAt, at, report.TriggerSetVersion, counts));
            }
        }

        return snapshots;
    }

    /// <summary>The start of the bucket <paramref name="at"/> falls in: whole buckets since the Unix epoch (PostgreSQL's date_bin).</summary>
    public static DateTimeOffset BucketOf(DateTimeOffset at, TimeSpan bucket)
    {
        var since = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var floor = since - (((since % bucket.Ticks) + bucket.Ticks) % bucket.Ticks);
        return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + floor, TimeSpan.Zero);
    }

    /// <summary>
    /// Per-bucket counts from snapshots: each snapshot contributes its difference from the previous
    /// snapshot of the same (fleet, device, trigger, startedAt), the first one of a startedAt counts
    /// from zero (a restart), and a count that went back contributes nothing. Then filtered and
    /// ordered as the query says (bucket, device, trigger, kind; zero counts left out).
    /// </summary>
    public static List<TriggerCount> Derive(IEnumerable<TriggerCounterSnapshot> snapshots, TriggerCountQuery q)
    {
        var totals = new Dictionary<(string Device, string Trigger, DateTimeOffset Bucket, string Kind), long>();
        foreach (var series in snapshots.GroupBy(s => (s.Device, s.TriggerId, s.StartedAt)))
        {
            long[]? previous = null;
            foreach (var snapshot in series.OrderBy(s => s.At))
            {
                var bucket = BucketOf(snapshot.At, q.Bucket);
                for (var k = 0; k < Kinds.Length; k++)
                {
                    var delta = Math.Max(0, snapshot.Counts[k] - (previous?[k] ?? 0));
                    var key = (snapshot.Device, snapshot.TriggerId, bucket, Kinds[k]);
                    totals[key] = checked(totals.GetValueOrDefault(key) + delta);
                }

                previous = snapshot.Counts;
            }
        }

        return [.. totals
            .Where(t => t.Value > 0
                && (q.Kind is null || t.Key.Kind == q.Kind)
                && (q.From is not { } from || t.Key.Bucket >= from)
                && (q.To is not { } to || t.Key.Bucket < to))
            .Select(t => new TriggerCount(q.Fleet, t.Key.Device, t.Key.Trigger, t.Key.Bucket, t.Key.Kind, t.Value))
            .OrderBy(c => c.BucketStart)
            .ThenBy(c => c.Device, StringComparer.Ordinal)
            .ThenBy(c => c.TriggerId, StringComparer.Ordinal)
            .ThenBy(c => c.Kind, StringComparer.Ordinal)
            .Take(q.Limit)];
    }
}

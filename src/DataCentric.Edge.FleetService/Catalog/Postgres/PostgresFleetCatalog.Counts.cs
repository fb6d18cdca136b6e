using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

public sealed partial class PostgresFleetCatalog
{
    private const string CountColumns =
        "evaluations, fires, dry_run_fires, suppressed_cooldown, suppressed_budget, suppressed_sampling, suppressed_duplicate, missing_signal";

    public async Task<CatalogWrite> RecordTriggerCountersAsync(TriggerCountersReport report, CancellationToken cancellationToken)
    {
        var snapshots = TriggerCounterSnapshot.From(report);
        if (snapshots.Count == 0)
        {
            return CatalogWrite.AlreadyPresent;
        }

        // One statement: all of a report's snapshots or none; a replay conflicts on every key and inserts nothing.
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO trigger_counter_snapshots (fleet, device, trigger_id, started_at, at, trigger_set_version, {CountColumns})
            SELECT @fleet, @device, t.trigger_id, @started_at, @at, @version, c0, c1, c2, c3, c4, c5, c6, c7 FROM unnest(@triggers, @c0, @c1, @c2, @c3, @c4, @c5, @c6, @c7)
                AS t(trigger_id, c0, c1, c2, c3, c4, c5, c6, c7)
            ON CONFLICT (fleet, device, trigger_id, started_at, at) DO NOTHING
            """);
        var first = snapshots[0];
        command.Add("fleet", first.Fleet);
        command.Add("device", first.Device);
        command.Add("started_at", first.StartedAt);
        command.Add("at", first.At);
        command.Add("version", first.TriggerSetVersion);
        command.Add("triggers", snapshots.Select(s => s.TriggerId).ToArray());
        for (var k = 0; k < TriggerCounterSnapshot.Kinds.Length; k++)
        {
            var kind = k;
            command.Add($"c{k}", snapshots.Select(s => s.Counts[kind]).ToArray());
        }

        var inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return inserted > 0 ? CatalogWrite.Added : CatalogWrite.AlreadyPresent;
    }

    public async Task<IReadOnlyList<TriggerCount>> ListTriggerCountsAsync(TriggerCountQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Validated();
        await using var command = dataSource.CreateCommand();
        List<string> series = ["fleet = @fleet"];
        command.Add("fleet", q.Fleet);
        if (q.Device is { } device)
        {
            series.Add("device = @device");
            command.Add("device", device);
        }

        if (q.TriggerId is { } trigger)
        {
            series.Add("trigger_id = @trigger");
            command.Add("trigger", trigger);
        }

        if (q.To is { } to)
        {
            // A snapshot at or after To + one bucket cannot fall in a bucket starting before To.
            series.Add("at < @to + @bucket");
            command.Add("to", to);
        }

        List<string> buckets = ["count > 0"];
        if (q.Kind is { } kind)
        {
            buckets.Add("kind = @kind");
            command.Add("kind", kind);
        }

        if (q.From is { } from)
        {
            buckets.Add("bucket_start >= @from");
            command.Add("from", from);
        }

        if (q.To is not null)
        {
            buckets.Add("bucket_start < @to");
        }

        var deltas = string.Join(", ", CountColumns.Split(", ").Select((c, i) => $"{c} - coalesce(lag({c}) OVER w, 0) AS d{i}"));
        var kinds = string.Join(", ", TriggerCounterSnapshot.Kinds.Select((k, i) => $"('{k}', d{i})"));

        // Differences between consecutive snapshots of one (device, trigger, startedAt); the first of a
        // startedAt counts from zero (lag is null), a count that went back adds nothing. Summed per
        // bucket (date_bin from the Unix epoch, as TriggerCounterSnapshot.BucketOf).
        command.CommandText =
            $"""
            WITH s AS (
                SELECT device, trigger_id, at, {deltas}
                FROM trigger_counter_snapshots {NpgsqlCommandExtensions.Where(series)}
                WINDOW w AS (PARTITION BY device, trigger_id, started_at ORDER BY at)
            ), b AS (
                SELECT device, trigger_id, date_bin(@bucket, at, '1970-01-01 00:00:00+00') AS bucket_start,
                       k.kind COLLATE "C" AS kind, sum(greatest(0, k.count))::bigint AS count
                FROM s, LATERAL (VALUES {kinds}) AS k(kind, count)
                GROUP BY 1, 2, 3, 4
            )
            SELECT device, trigger_id, bucket_start, kind, count FROM b {NpgsqlCommandExtensions.Where(buckets)}
            ORDER BY bucket_start, device, trigger_id, kind LIMIT @limit
            """;
        command.Add("bucket", q.Bucket);
        command.Add("limit", q.Limit);
        return await command.ReadAllAsync(
            r => new TriggerCount(q.Fleet, r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3), r.GetInt64(4)),
            cancellationToken).ConfigureAwait(false);
    }
}

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

public sealed partial class PostgresFleetCatalog
{
    public async Task AddTriggerCountsAsync(IReadOnlyCollection<TriggerCount> counts, CancellationToken cancellationToken)
    {
        // Merged first: one statement may not touch a row twice. Sorted, so concurrent batches lock
        // their rows in the same order and cannot deadlock.
        var merged = TriggerCount.Merge(counts);
        if (merged.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO trigger_counts (fleet, device, trigger_id, bucket_start, kind, count)
            SELECT * FROM unnest(@fleets, @devices, @triggers, @buckets, @kinds, @counts)
            ON CONFLICT (fleet, device, trigger_id, bucket_start, kind) DO UPDATE SET count = trigger_counts.count + excluded.count
            """);
        command.Add("fleets", merged.Select(c => c.Fleet).ToArray());
        command.Add("devices", merged.Select(c => c.Device).ToArray());
        command.Add("triggers", merged.Select(c => c.TriggerId).ToArray());
        command.Add("buckets", merged.Select(c => c.BucketStart).ToArray());
        command.Add("kinds", merged.Select(c => c.Kind).ToArray());
        command.Add("counts", merged.Select(c => c.Count).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TriggerCount>> ListTriggerCountsAsync(TriggerCountQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Validated();
        await using var command = dataSource.CreateCommand();
        List<string> conditions = ["fleet = @fleet"];
        command.Add("fleet", q.Fleet);
        if (q.Device is { } device)
        {
            conditions.Add("device = @device");
            command.Add("device", device);
        }

        if (q.TriggerId is { } trigger)
        {
            conditions.Add("trigger_id = @trigger");
            command.Add("trigger", trigger);
        }

        if (q.Kind is { } kind)
        {
            conditions.Add("kind = @kind");
            command.Add("kind", kind);
        }

        if (q.From is { } from)
        {
            conditions.Add("bucket_start >= @from");
            command.Add("from", from);
        }

        if (q.To is { } to)
        {
            conditions.Add("bucket_start < @to");
            command.Add("to", to);
        }

        command.CommandText =
            $"""
            SELECT fleet, device, trigger_id, bucket_start, kind, count FROM trigger_counts {NpgsqlCommandExtensions.Where(conditions)}
            ORDER BY bucket_start, device, trigger_id, kind LIMIT @limit
            """;
        command.Add("limit", q.Limit);
        return await command.ReadAllAsync(
            r => new TriggerCount(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetString(4), r.GetInt64(5)),
            cancellationToken).ConfigureAwait(false);
    }
}

using DataCentric.Edge.FleetService.Catalog.Comparison;
using Npgsql;

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

/// <summary>
/// The model comparison: the model's acks, then the agent runs (grouped by the server), events (with
/// their clip's model hashes) and clips of its devices, streamed into the shared builder.
/// </summary>
public sealed partial class PostgresFleetCatalog : IModelComparisons
{
    public async Task<ModelComparison?> CompareModelAsync(ModelComparisonQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Validated();
        var builder = new ModelComparisonBuilder(q, await ListModelReleasesAsync(q.Fleet, q.Name, q.Device, cancellationToken).ConfigureAwait(false));
        if (!builder.HasDevices)
        {
            return null;
        }

        // A run counts when it started before the window's end and reported after its start.
        await ReadAsync(
            q, builder, "SELECT fleet, device, started_at, max(at) FROM trigger_counter_snapshots WHERE {0}{1} GROUP BY fleet, device, started_at HAVING true{2}",
            string.Empty, "started_at < @to", "max(at) > @from",
            r => builder.AddRun(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<DateTimeOffset>(3)),
            cancellationToken).ConfigureAwait(false);
        await ReadAsync(
            q, builder, "SELECT e.fleet, e.device, e.wall_clock, e.trigger_ids, e.dry_run, c.model_shas FROM events e LEFT JOIN clips c ON c.clip_id = e.clip_id WHERE {0}{1}{2}",
            "e.", "e.wall_clock < @to", "e.wall_clock >= @from",
            r => builder.AddEvent(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<string[]>(3), r.GetBoolean(4),
                r.IsDBNull(5) ? [] : r.GetFieldValue<string[]>(5)),
            cancellationToken).ConfigureAwait(false);
        await ReadAsync(
            q, builder, "SELECT fleet, device, start_wall, trigger_ids, model_shas FROM clips WHERE {0}{1}{2}",
            string.Empty, "start_wall < @to", "start_wall >= @from",
            r => builder.AddClip(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<string[]>(3), r.GetFieldValue<string[]>(4)),
            cancellationToken).ConfigureAwait(false);
        builder.AddReports(await ListDatasetReportsAsync(null, "import", CatalogGuard.MaxLimit, cancellationToken).ConfigureAwait(false));
        return builder.Build();
    }

    /// <summary>
    /// Runs <paramref name="sql"/> with {0} = the builder's devices (and the query's fleet), {1} = " AND " +
    /// <paramref name="toCondition"/> when the window has an end, {2} = " AND " + <paramref name="fromCondition"/>
    /// when it has a start, handing each row to
    /// <paramref name="add"/> as it is read.
    /// </summary>
    private async Task ReadAsync(
        ModelComparisonQuery q, ModelComparisonBuilder builder, string sql, string prefix, string toCondition, string fromCondition,
        Action<NpgsqlDataReader> add, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        var devices = $"{prefix}device = ANY(@devices)";
        command.Add("devices", builder.DeviceIds);
        if (q.Fleet is { } fleet)
        {
            devices += $" AND {prefix}fleet = @fleet";
            command.Add("fleet", fleet);
        }

        var (to, from) = (string.Empty, string.Empty);
        if (q.To is { } end)
        {
            to = " AND " + toCondition;
            command.Add("to", end);
        }

        if (q.From is { } start)
        {
            from = " AND " + fromCondition;
            command.Add("from", start);
        }

        command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, devices, to, from);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            add(reader);
        }
    }
}

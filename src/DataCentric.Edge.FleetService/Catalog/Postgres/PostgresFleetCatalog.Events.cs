using DataCentric.Edge.Core.Contracts;
using Npgsql;

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

public sealed partial class PostgresFleetCatalog
{
    private const string EventColumns = "event_id, fleet, device, trigger_ids, wall_clock, priority, dry_run, trigger_set_version, clip_id, received_at";

    public async Task<CatalogWrite> AddEventAsync(string fleet, string device, EventSummary summary, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var e = CatalogEvent.From(fleet, device, summary, receivedAt);

        // One round trip for a new event. A replay of the same device's event writes only to fill in
        // a clip id the first copy lacked; anything else returns no row and is told apart below.
        await using var insert = dataSource.CreateCommand(
            $"""
            INSERT INTO events ({EventColumns})
            VALUES (@id, @fleet, @device, @triggers, @wall_clock, @priority, @dry_run, @version, @clip, @received_at)
            ON CONFLICT (event_id) DO UPDATE SET clip_id = excluded.clip_id
            WHERE events.fleet = excluded.fleet AND events.device = excluded.device
              AND events.clip_id IS NULL AND excluded.clip_id IS NOT NULL
            RETURNING xmax = 0
            """);
        insert.Add("id", e.EventId);
        insert.Add("fleet", e.Fleet);
        insert.Add("device", e.Device);
        insert.Add("triggers", e.TriggerIds.ToArray());
        insert.Add("wall_clock", e.WallClock);
        insert.Add("priority", e.Priority);
        insert.Add("dry_run", e.DryRun);
        insert.Add("version", e.TriggerSetVersion);
        insert.Add("clip", e.ClipId);
        insert.Add("received_at", e.ReceivedAt);
        if (await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is bool added)
        {
            return added ? CatalogWrite.Added : CatalogWrite.AlreadyPresent;
        }

        await using var held = dataSource.CreateCommand("SELECT fleet, device FROM events WHERE event_id = @id");
        held.Add("id", e.EventId);
        var owner = await held.ReadAllAsync(r => (Fleet: r.GetString(0), Device: r.GetString(1)), cancellationToken).ConfigureAwait(false);
        return owner is [var o] && o.Fleet == e.Fleet && o.Device == e.Device ? CatalogWrite.AlreadyPresent : CatalogWrite.Conflict;
    }

    public async Task<CatalogPage<CatalogEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Validated();
        await using var command = dataSource.CreateCommand();
        var conditions = new List<string>();
        if (q.Fleet is { } fleet)
        {
            conditions.Add("fleet = @fleet");
            command.Add("fleet", fleet);
        }

        if (q.Device is { } device)
        {
            conditions.Add("device = @device");
            command.Add("device", device);
        }

        if (q.TriggerId is { } trigger)
        {
            conditions.Add("trigger_ids @> @trigger");
            command.Add("trigger", new[] { trigger });
        }

        if (q.DryRun is { } dryRun)
        {
            conditions.Add("dry_run = @dry_run");
            command.Add("dry_run", dryRun);
        }

        if (q.From is { } from)
        {
            conditions.Add("wall_clock >= @from");
            command.Add("from", from);
        }

        if (q.To is { } to)
        {
            conditions.Add("wall_clock < @to");
            command.Add("to", to);
        }

        if (PageCursor.Decode(q.After, nameof(q.After)) is { } after)
        {
            conditions.Add("(wall_clock, event_id) < (@after_time, @after_id)");
            command.Add("after_time", after.Time);
            command.Add("after_id", after.Id);
        }

        command.CommandText =
            $"SELECT {EventColumns} FROM events {NpgsqlCommandExtensions.Where(conditions)} ORDER BY wall_clock DESC, event_id DESC LIMIT @limit";
        command.Add("limit", q.Limit + 1);
        var rows = await command.ReadAllAsync(ReadEvent, cancellationToken).ConfigureAwait(false);
        return CatalogPages.From(rows, q.Limit, e => new PageCursor(e.WallClock, e.EventId));
    }

    private static CatalogEvent ReadEvent(NpgsqlDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetString(2),
        row.GetFieldValue<string[]>(3),
        row.GetFieldValue<DateTimeOffset>(4),
        row.GetInt32(5),
        row.GetBoolean(6),
        row.GetInt32(7),
        row.IsDBNull(8) ? null : row.GetString(8),
        row.GetFieldValue<DateTimeOffset>(9));
}

using DataCentric.Edge.Core.Contracts;
using Npgsql;

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

/// <summary>
/// The fleet catalog in PostgreSQL, shared by every receiver: each write is one idempotent statement
/// (<c>ON CONFLICT</c>), so receivers hold no state and any of them may die or replay a message.
/// Run <see cref="PostgresMigrator.MigrateAsync"/> first (the host does at start).
/// </summary>
/// <remarks>The data source is the caller's (one per process, pooled); this class does not dispose it.</remarks>
public sealed partial class PostgresFleetCatalog(NpgsqlDataSource dataSource) : IFleetCatalog
{
    private const string DeviceColumns = "fleet, device, state, detail, trigger_set_version, status_at, first_seen, last_seen";

    public async Task<bool> RecordStatusAsync(DeviceStatus status, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var device = CatalogDevice.From(status, receivedAt);
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO devices ({DeviceColumns})
            VALUES (@fleet, @device, @state, @detail, @version, @status_at, @seen, @seen)
            ON CONFLICT (fleet, device) DO UPDATE SET
                state = excluded.state,
                detail = excluded.detail,
                trigger_set_version = coalesce(excluded.trigger_set_version, devices.trigger_set_version),
                status_at = excluded.status_at,
                last_seen = excluded.last_seen
            WHERE devices.last_seen <= excluded.last_seen
            """);
        command.Add("fleet", device.Fleet);
        command.Add("device", device.Device);
        command.Add("state", device.State);
        command.Add("detail", device.Detail);
        command.Add("version", device.TriggerSetVersion);
        command.Add("status_at", device.StatusAt);
        command.Add("seen", device.LastSeen);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<CatalogDevice>> ListDevicesAsync(string? fleet, CancellationToken cancellationToken)
    {
        CatalogGuard.OptionalId(fleet, nameof(fleet));
        await using var command = dataSource.CreateCommand(
            $"SELECT {DeviceColumns} FROM devices {(fleet is null ? string.Empty : "WHERE fleet = @fleet")} ORDER BY fleet, device");
        if (fleet is not null)
        {
            command.Add("fleet", fleet);
        }

        return await command.ReadAllAsync(ReadDevice, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CatalogPage<CatalogDevice>> ListDevicePageAsync(DeviceQuery query, CancellationToken cancellationToken)
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

        if (DevicePageCursor.Decode(q.After, nameof(q.After)) is { } after)
        {
            conditions.Add("(fleet, device) > (@after_fleet, @after_device)");
            command.Add("after_fleet", after.Fleet);
            command.Add("after_device", after.Device);
        }

        command.CommandText =
            $"SELECT {DeviceColumns} FROM devices {NpgsqlCommandExtensions.Where(conditions)} ORDER BY fleet, device LIMIT @limit";
        command.Add("limit", q.Limit + 1);
        var rows = await command.ReadAllAsync(ReadDevice, cancellationToken).ConfigureAwait(false);
        return CatalogPages.From(rows, q.Limit, d => new DevicePageCursor(d.Fleet, d.Device).Encode());
    }

    private static CatalogDevice ReadDevice(NpgsqlDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetString(2),
        row.IsDBNull(3) ? null : row.GetString(3),
        row.IsDBNull(4) ? null : row.GetInt32(4),
        row.IsDBNull(5) ? null : row.GetFieldValue<DateTimeOffset>(5),
        row.GetFieldValue<DateTimeOffset>(6),
        row.GetFieldValue<DateTimeOffset>(7));
}

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

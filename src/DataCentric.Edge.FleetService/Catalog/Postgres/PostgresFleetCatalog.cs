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

    /// <summary>The devices with their latest ack (LEFT JOIN: a device that sent none has nulls there).</summary>
    private const string DeviceSelect =
        """
        SELECT d.fleet, d.device, d.state, d.detail, d.trigger_set_version, d.status_at, d.first_seen, d.last_seen,
               a.version, a.decision, a.reason, a.active_version, a.at
        FROM devices d LEFT JOIN trigger_set_acks a ON a.fleet = d.fleet AND a.device = d.device
        """;

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

    public async Task<bool> RecordTriggerSetAckAsync(TriggerSetAck ack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ack);
        var fleet = CatalogGuard.Id(ack.Fleet, nameof(ack.Fleet));
        var device = CatalogGuard.Id(ack.Device, nameof(ack.Device));
        var held = CatalogTriggerSetAck.From(ack);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO trigger_set_acks (fleet, device, version, decision, reason, active_version, at)
            VALUES (@fleet, @device, @version, @decision, @reason, @active, @at)
            ON CONFLICT (fleet, device) DO UPDATE SET
                version = excluded.version,
                decision = excluded.decision,
                reason = excluded.reason,
                active_version = excluded.active_version,
                at = excluded.at
            WHERE trigger_set_acks.at <= excluded.at
            """);
        command.Add("fleet", fleet);
        command.Add("device", device);
        command.Add("version", held.Version);
        command.Add("decision", held.Decision);
        command.Add("reason", held.Reason);
        command.Add("active", held.ActiveVersion);
        command.Add("at", held.At);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<CatalogDevice>> ListDevicesAsync(string? fleet, CancellationToken cancellationToken)
    {
        CatalogGuard.OptionalId(fleet, nameof(fleet));
        await using var command = dataSource.CreateCommand(
            $"{DeviceSelect} {(fleet is null ? string.Empty : "WHERE d.fleet = @fleet")} ORDER BY d.fleet, d.device");
        if (fleet is not null)
        {
            command.Add("fleet", fleet);
        }

        return await WithModelsAsync(await command.ReadAllAsync(ReadDevice, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CatalogPage<CatalogDevice>> ListDevicePageAsync(DeviceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Validated();
        await using var command = dataSource.CreateCommand();
        var conditions = new List<string>();
        if (q.Fleet is { } fleet)
        {
            conditions.Add("d.fleet = @fleet");
            command.Add("fleet", fleet);
        }

        if (DevicePageCursor.Decode(q.After, nameof(q.After)) is { } after)
        {
            conditions.Add("(d.fleet, d.device) > (@after_fleet, @after_device)");
            command.Add("after_fleet", after.Fleet);
            command.Add("after_device", after.Device);
        }

        command.CommandText =
            $"{DeviceSelect} {NpgsqlCommandExtensions.Where(conditions)} ORDER BY d.fleet, d.device LIMIT @limit";
        command.Add("limit", q.Limit + 1);
        var rows = await WithModelsAsync(await command.ReadAllAsync(ReadDevice, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
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
        row.GetFieldValue<DateTimeOffset>(7))
    {
        TriggerSetAck = row.IsDBNull(9) ? null : new CatalogTriggerSetAck(
            row.IsDBNull(8) ? null : row.GetInt32(8),
            row.GetString(9),
            row.IsDBNull(10) ? null : row.GetString(10),
            row.GetInt32(11),
            row.GetFieldValue<DateTimeOffset>(12)),
    };
}

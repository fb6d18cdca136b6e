using DataCentric.Edge.Core.Contracts;
using Npgsql;

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

/// <summary>Model release acks (one row per fleet, device, name and version) and staged rollouts.</summary>
public sealed partial class PostgresFleetCatalog
{
    private const string ModelReleaseColumns =
        "fleet, device, name, version, sha256, stage, reason_codes, reason_messages, active_version, active_sha256, bytes_received, " +
        "probation_frames, probation_errors, latency_p50_ms, latency_p95_ms, resident_bytes, memory_limit_bytes, at";

    private const string RolloutColumns = "id, fleet, name, version, revision, document, created_at, updated_at";

    public async Task<bool> RecordModelReleaseAckAsync(ModelReleaseAck ack, CancellationToken cancellationToken)
    {
        var r = CatalogModelRelease.From(ack);
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO model_release_acks ({ModelReleaseColumns})
            VALUES (@fleet, @device, @name, @version, @sha, @stage, @codes, @messages, @active, @active_sha, @bytes,
                    @frames, @errors, @p50, @p95, @rss, @limit, @at)
            ON CONFLICT (fleet, device, name, version) DO UPDATE SET
                sha256 = excluded.sha256, stage = excluded.stage, reason_codes = excluded.reason_codes,
                reason_messages = excluded.reason_messages, active_version = excluded.active_version,
                active_sha256 = excluded.active_sha256, bytes_received = excluded.bytes_received,
                probation_frames = excluded.probation_frames, probation_errors = excluded.probation_errors,
                latency_p50_ms = excluded.latency_p50_ms, latency_p95_ms = excluded.latency_p95_ms,
                resident_bytes = excluded.resident_bytes, memory_limit_bytes = excluded.memory_limit_bytes, at = excluded.at
            WHERE model_release_acks.at <= excluded.at
            """);
        command.Add("fleet", r.Fleet);
        command.Add("device", r.Device);
        command.Add("name", r.Name);
        command.Add("version", r.Version);
        command.Add("sha", r.Sha256);
        command.Add("stage", r.Stage);
        command.Add("codes", r.Reasons.Select(x => x.Reason).ToArray());
        command.Add("messages", r.Reasons.Select(x => x.Message).ToArray());
        command.Add("active", r.ActiveVersion);
        command.Add("active_sha", r.ActiveSha256);
        command.Add("bytes", r.BytesReceived);
        command.Add("frames", r.Probation?.Frames);
        command.Add("errors", r.Probation?.Errors);
        command.Add("p50", r.Probation?.LatencyP50Ms);
        command.Add("p95", r.Probation?.LatencyP95Ms);
        command.Add("rss", r.Probation?.ResidentBytes);
        command.Add("limit", r.Probation?.MemoryLimitBytes);
        command.Add("at", r.At);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<CatalogModelRelease>> ListModelReleasesAsync(string? fleet, string? name, string? device, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        var conditions = new List<string>();
        foreach (var (column, value) in new[] { ("fleet", fleet), ("name", name), ("device", device) })
        {
            if (CatalogGuard.OptionalId(value, column) is { } v)
            {
                conditions.Add($"{column} = @{column}");
                command.Add(column, v);
            }
        }

        command.CommandText =
            $"SELECT {ModelReleaseColumns} FROM model_release_acks {NpgsqlCommandExtensions.Where(conditions)} ORDER BY fleet, device, name, version LIMIT @limit";
        command.Add("limit", CatalogGuard.MaxCountRows + 1);
        var rows = await command.ReadAllAsync(ReadModelRelease, cancellationToken).ConfigureAwait(false);
        return CatalogModels.Bounded(rows);
    }

    public async Task<bool> SaveRolloutAsync(CatalogRollout rollout, long expectedRevision, CancellationToken cancellationToken)
    {
        var r = CatalogModels.Checked(rollout, expectedRevision);
        await using var command = dataSource.CreateCommand(
            expectedRevision == 0
                ? $"INSERT INTO model_rollouts ({RolloutColumns}) VALUES (@id, @fleet, @name, @version, @revision, @document, @created, @updated) ON CONFLICT (id) DO NOTHING"
                : "UPDATE model_rollouts SET revision = @revision, document = @document, updated_at = @updated WHERE id = @id AND revision = @expected");
        command.Add("id", r.Id);
        command.Add("fleet", r.Fleet);
        command.Add("name", r.Name);
        command.Add("version", r.Version);
        command.Add("revision", r.Revision);
        command.Add("document", r.Document);
        command.Add("created", r.CreatedAt);
        command.Add("updated", r.UpdatedAt);
        command.Add("expected", expectedRevision);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<CatalogRollout?> GetRolloutAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RolloutColumns} FROM model_rollouts WHERE id = @id");
        command.Add("id", CatalogGuard.Id(id, nameof(id)));
        var rows = await command.ReadAllAsync(ReadRollout, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<CatalogRollout>> ListRolloutsAsync(string? fleet, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {RolloutColumns} FROM model_rollouts WHERE name = @name {(fleet is null ? string.Empty : "AND fleet = @fleet")} " +
            "ORDER BY created_at DESC, id DESC LIMIT @limit");
        command.Add("name", CatalogGuard.Id(name, nameof(name)));
        if (CatalogGuard.OptionalId(fleet, nameof(fleet)) is { } f)
        {
            command.Add("fleet", f);
        }

        command.Add("limit", CatalogGuard.MaxLimit);
        return await command.ReadAllAsync(ReadRollout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The devices with each one's latest ack per model name attached.</summary>
    private async Task<List<CatalogDevice>> WithModelsAsync(List<CatalogDevice> devices, CancellationToken cancellationToken)
    {
        if (devices.Count == 0)
        {
            return devices;
        }

        await using var command = dataSource.CreateCommand(
            $"""
            SELECT DISTINCT ON (fleet, device, name) {ModelReleaseColumns} FROM model_release_acks
            WHERE (fleet, device) IN (SELECT * FROM unnest(@fleets, @devices))
            ORDER BY fleet, device, name, at DESC, version DESC
            """);
        command.Add("fleets", devices.Select(d => d.Fleet).ToArray());
        command.Add("devices", devices.Select(d => d.Device).ToArray());
        var models = (await command.ReadAllAsync(ReadModelRelease, cancellationToken).ConfigureAwait(false))
            .ToLookup(m => (m.Fleet, m.Device));
        return [.. devices.Select(d => models[(d.Fleet, d.Device)].ToList() is { Count: > 0 } list ? d with { Models = list } : d)];
    }

    private static CatalogModelRelease ReadModelRelease(NpgsqlDataReader row)
    {
        var codes = row.GetFieldValue<string[]>(6);
        var messages = row.GetFieldValue<string[]>(7);
        return new CatalogModelRelease(
            row.GetString(0),
            row.GetString(1),
            row.GetString(2),
            row.GetInt32(3),
            row.IsDBNull(4) ? null : row.GetString(4),
            row.GetString(5),
            [.. codes.Zip(messages, (c, m) => new CatalogModelReason(c, m))],
            row.GetInt32(8),
            row.IsDBNull(9) ? null : row.GetString(9),
            row.GetFieldValue<DateTimeOffset>(17))
        {
            BytesReceived = row.IsDBNull(10) ? null : row.GetInt64(10),
            Probation = row.IsDBNull(11) ? null : new CatalogProbation(
                row.GetInt32(11), row.GetInt32(12), row.GetDouble(13), row.GetDouble(14), row.GetInt64(15), row.IsDBNull(16) ? null : row.GetInt64(16)),
        };
    }

    private static CatalogRollout ReadRollout(NpgsqlDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetString(2),
        row.GetInt32(3),
        row.GetInt64(4),
        row.GetString(5),
        row.GetFieldValue<DateTimeOffset>(6),
        row.GetFieldValue<DateTimeOffset>(7));
}

using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog.Staging;
using Npgsql;
using NpgsqlTypes;

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

/// <summary>Clip staging in the tables of migration 3 (<c>clip_uploads</c>, <c>clip_chunks</c>).</summary>
public sealed partial class PostgresFleetCatalog
{
    private const string UploadKey = "fleet = @fleet AND device = @device AND clip_id = @clip";

    public async Task<StageOutcome> StageManifestAsync(ClipManifest manifest, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var clip = StagingRules.Manifest(manifest);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await CataloguedAsync(connection, transaction, clip, manifest, cancellationToken).ConfigureAwait(false) is { } catalogued)
        {
            return catalogued;
        }

        await using var select = Command($"SELECT manifest::text FROM clip_uploads WHERE {UploadKey} FOR UPDATE", connection, transaction, clip);
        var held = (await select.ReadAllAsync(r => ParseManifest(r.GetString(0)), cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        var outcome = StageOutcome.Staged;
        if (held is null)
        {
            await using var insert = Command(
                """
                INSERT INTO clip_uploads (fleet, device, clip_id, manifest, size_bytes, chunk_bytes, chunk_count, updated_at)
                VALUES (@fleet, @device, @clip, @manifest, @size, @chunk_bytes, @chunk_count, @at)
                ON CONFLICT (fleet, device, clip_id) DO NOTHING
                """,
                connection,
                transaction,
                clip);
            AddManifest(insert, manifest, receivedAt);
            outcome = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? StageOutcome.Staged : StageOutcome.Duplicate;
        }
        else if (StagingRules.Changes(held, manifest))
        {
            await using var update = Command(
                $"""
                UPDATE clip_uploads SET manifest = @manifest, size_bytes = @size, chunk_bytes = @chunk_bytes, chunk_count = @chunk_count,
                    updated_at = @at, lease_owner = NULL, lease_until = NULL
                WHERE {UploadKey};
                DELETE FROM clip_chunks WHERE {UploadKey} AND (chunk_bytes <> @chunk_bytes OR @drop_all);
                """,
                connection,
                transaction,
                clip);
            AddManifest(update, manifest, receivedAt);
            update.Add("drop_all", !StagingRules.KeepsContent(held, manifest));
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await using var touch = Command($"UPDATE clip_uploads SET updated_at = greatest(updated_at, @at) WHERE {UploadKey}", connection, transaction, clip);
            touch.Add("at", receivedAt);
            await touch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            outcome = StageOutcome.Duplicate;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    public async Task<StageOutcome> StageChunkAsync(StagedChunk chunk, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var c = chunk.Validated();

        // One round trip: skip a chunk of a clip already catalogued for this device, or one whose count
        // disagrees with its staged manifest of the same chunk size; otherwise insert it once.
        await using var command = dataSource.CreateCommand(
            $"""
            WITH held AS (SELECT 1 FROM clips WHERE {UploadKey}),
                 disagrees AS (SELECT 1 FROM clip_uploads WHERE {UploadKey} AND chunk_bytes = @chunk_bytes AND chunk_count <> @chunk_count),
                 inserted AS (
                     INSERT INTO clip_chunks (fleet, device, clip_id, chunk_bytes, chunk_index, chunk_count, data, received_at)
                     SELECT @fleet, @device, @clip, @chunk_bytes, @chunk_index, @chunk_count, @data, @at
                     WHERE NOT EXISTS (SELECT 1 FROM held) AND NOT EXISTS (SELECT 1 FROM disagrees)
                     ON CONFLICT DO NOTHING
                     RETURNING 1)
            SELECT (SELECT count(*) FROM inserted), EXISTS (SELECT 1 FROM held), EXISTS (SELECT 1 FROM disagrees)
            """);
        AddKey(command, c.Clip);
        command.Add("chunk_bytes", c.ChunkBytes);
        command.Add("chunk_index", c.Index);
        command.Add("chunk_count", c.Count);
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("data", NpgsqlDbType.Bytea) { TypedValue = c.Data });
        command.Add("at", receivedAt);
        var (inserted, held, disagrees) = (await command.ReadAllAsync(r => (r.GetInt64(0), r.GetBoolean(1), r.GetBoolean(2)), cancellationToken).ConfigureAwait(false))[0];
        return held ? StageOutcome.AlreadyCatalogued
            : disagrees ? StageOutcome.Conflict
            : inserted == 1 ? StageOutcome.Staged
            : StageOutcome.Duplicate;
    }

    public async Task<ClipClaim?> TryClaimAsync(StagedClip clip, string owner, DateTimeOffset now, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // SKIP LOCKED: a row another receiver is claiming or completing right now is theirs.
        await using var select = Command(
            $"""
            SELECT u.manifest::text, u.lease_owner, u.lease_until, u.chunk_count,
                   (SELECT count(*) FROM clip_chunks c WHERE c.fleet = u.fleet AND c.device = u.device AND c.clip_id = u.clip_id
                        AND c.chunk_bytes = u.chunk_bytes AND c.chunk_count = u.chunk_count)
            FROM clip_uploads u WHERE {UploadKey} FOR UPDATE OF u SKIP LOCKED
            """,
            connection,
            transaction,
            clip);
        var rows = await select.ReadAllAsync(
            r => (Manifest: r.GetString(0), Owner: r.IsDBNull(1) ? null : r.GetString(1), Until: r.IsDBNull(2) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(2), Count: r.GetInt32(3), Staged: r.GetInt64(4)),
            cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0 || rows[0].Staged < rows[0].Count || (rows[0].Until > now && rows[0].Owner != owner))
        {
            return null;
        }

        var leaseUntil = now + leaseFor;
        await using var lease = Command($"UPDATE clip_uploads SET lease_owner = @owner, lease_until = @until WHERE {UploadKey}", connection, transaction, clip);
        lease.Add("owner", owner);
        lease.Add("until", leaseUntil);
        await lease.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ClipClaim(clip, ParseManifest(rows[0].Manifest), owner, leaseUntil);
    }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadChunksAsync(ClipClaim claim, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var manifest = claim.Manifest;
        await using var command = dataSource.CreateCommand(
            $"SELECT chunk_index, data FROM clip_chunks WHERE {UploadKey} AND chunk_bytes = @chunk_bytes AND chunk_count = @chunk_count ORDER BY chunk_index");
        AddKey(command, claim.Clip);
        command.Add("chunk_bytes", manifest.ChunkBytes);
        command.Add("chunk_count", manifest.ChunkCount);
        var buffer = ArrayPool<byte>.Shared.Rent(manifest.ChunkBytes);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
            var expected = 0;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.GetInt32(0) != expected)
                {
                    throw new InvalidDataException($"Staged chunk {expected} of {claim.Clip} is missing (found {reader.GetInt32(0)}).");
                }

                // The rented buffer is reused for the next chunk: the caller writes each before asking for the next.
                var length = (int)reader.GetBytes(1, 0, buffer, 0, buffer.Length);
                yield return buffer.AsMemory(0, length);
                expected++;
            }

            if (expected != manifest.ChunkCount)
            {
                throw new InvalidDataException($"Only {expected} of {manifest.ChunkCount} chunks of {claim.Clip} are staged.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<CatalogWrite> CompleteAsync(ClipClaim claim, CatalogClip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(clip);
        var c = clip.Validated();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await DeleteStagedAsync(connection, transaction, claim.Clip, cancellationToken).ConfigureAwait(false);
        var write = await InsertClipAsync(connection, transaction, c, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return write;
    }

    public async Task DiscardAsync(StagedClip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await DeleteStagedAsync(connection, transaction, clip, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseAsync(ClipClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var command = dataSource.CreateCommand(
            $"UPDATE clip_uploads SET lease_owner = NULL, lease_until = NULL WHERE {UploadKey} AND lease_owner = @owner");
        AddKey(command, claim.Clip);
        command.Add("owner", claim.Owner);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StagedClip>> ListReadyAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand(
            """
            SELECT u.fleet, u.device, u.clip_id FROM clip_uploads u
            WHERE (u.lease_until IS NULL OR u.lease_until <= @now)
              AND (SELECT count(*) FROM clip_chunks c WHERE c.fleet = u.fleet AND c.device = u.device AND c.clip_id = u.clip_id
                       AND c.chunk_bytes = u.chunk_bytes AND c.chunk_count = u.chunk_count) = u.chunk_count
            ORDER BY u.updated_at LIMIT @limit
            """);
        command.Add("now", now);
        command.Add("limit", limit);
        return await command.ReadAllAsync(ReadStagedClip, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StagedClip>> RemoveAbandonedAsync(DateTimeOffset idleSince, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Statements of one WITH see the same snapshot: the chunk DELETE names the uploads the first
        // removes, and chunks that no staged manifest of their size wants any more.
        await using var command = dataSource.CreateCommand(
            """
            WITH gone AS (
                DELETE FROM clip_uploads u
                WHERE u.updated_at < @idle AND (u.lease_until IS NULL OR u.lease_until <= @now)
                  AND NOT EXISTS (SELECT 1 FROM clip_chunks c WHERE c.fleet = u.fleet AND c.device = u.device AND c.clip_id = u.clip_id AND c.received_at >= @idle)
                RETURNING u.fleet, u.device, u.clip_id),
            strays AS (
                DELETE FROM clip_chunks c
                WHERE c.received_at < @idle
                  AND (EXISTS (SELECT 1 FROM gone g WHERE g.fleet = c.fleet AND g.device = c.device AND g.clip_id = c.clip_id)
                       OR NOT EXISTS (SELECT 1 FROM clip_uploads u WHERE u.fleet = c.fleet AND u.device = c.device AND u.clip_id = c.clip_id
                                          AND u.chunk_bytes = c.chunk_bytes AND u.chunk_count = c.chunk_count))
                RETURNING c.fleet, c.device, c.clip_id)
            SELECT fleet, device, clip_id FROM gone UNION SELECT fleet, device, clip_id FROM strays ORDER BY 1, 2, 3
            """);
        command.Add("idle", idleSince);
        command.Add("now", now);
        return await command.ReadAllAsync(ReadStagedClip, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StagedUploadProgress>> ListUploadProgressAsync(string fleet, string device, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        CatalogGuard.Id(fleet, nameof(fleet));
        CatalogGuard.Id(device, nameof(device));
        await using var command = dataSource.CreateCommand(
            """
            SELECT u.manifest::text, count(c.chunk_index)::int, coalesce(sum(octet_length(c.data)), 0)::bigint
            FROM clip_uploads u
            LEFT JOIN clip_chunks c ON c.fleet = u.fleet AND c.device = u.device AND c.clip_id = u.clip_id AND c.chunk_bytes = u.chunk_bytes
            WHERE u.fleet = @fleet AND u.device = @device
            GROUP BY u.fleet, u.device, u.clip_id
            """);
        command.Add("fleet", fleet);
        command.Add("device", device);
        var rows = await command.ReadAllAsync(r => (Manifest: ParseManifest(r.GetString(0)), Chunks: r.GetInt32(1), Bytes: r.GetInt64(2)), cancellationToken).ConfigureAwait(false);

        // Staged uploads live for minutes, so a device has few: their windows are compared here rather than in JSON paths.
        return [.. rows
            .Where(r => r.Manifest.EndWall >= from && r.Manifest.StartWall <= to)
            .Select(r => new StagedUploadProgress(r.Manifest.ClipId, r.Manifest.StartWall, r.Manifest.EndWall, r.Manifest.SizeBytes, r.Manifest.ChunkCount, r.Chunks, r.Bytes))
            .OrderBy(p => p.StartWall).ThenBy(p => p.ClipId, StringComparer.Ordinal)];
    }

    public async Task<StagingUsage> GetUsageAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM clip_uploads), count(*), coalesce(sum(octet_length(data)), 0)::bigint FROM clip_chunks");
        return (await command.ReadAllAsync(r => new StagingUsage(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)), cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>The catalogue's answer to a manifest of a clip it already holds; null when it holds none by that id.</summary>
    private static async Task<StageOutcome?> CataloguedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StagedClip clip, ClipManifest manifest, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {ClipColumns} FROM clips WHERE clip_id = @clip", connection, transaction);
        command.Add("clip", clip.ClipId);
        var held = await command.ReadAllAsync(ReadClip, cancellationToken).ConfigureAwait(false);
        if (held.Count == 0)
        {
            return null;
        }

        return held[0].Fleet == clip.Fleet && held[0].Device == clip.Device && held[0].Sha256 == manifest.Sha256 && held[0].SizeBytes == manifest.SizeBytes
            ? StageOutcome.AlreadyCatalogued
            : StageOutcome.Conflict;
    }

    private static async Task DeleteStagedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StagedClip clip, CancellationToken cancellationToken)
    {
        await using var delete = Command($"DELETE FROM clip_chunks WHERE {UploadKey}; DELETE FROM clip_uploads WHERE {UploadKey};", connection, transaction, clip);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlCommand Command(string sql, NpgsqlConnection connection, NpgsqlTransaction transaction, StagedClip clip)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        AddKey(command, clip);
        return command;
    }

    private static void AddKey(NpgsqlCommand command, StagedClip clip)
    {
        command.Add("fleet", clip.Fleet);
        command.Add("device", clip.Device);
        command.Add("clip", clip.ClipId);
    }

    private static void AddManifest(NpgsqlCommand command, ClipManifest manifest, DateTimeOffset at)
    {
        command.Parameters.Add(new NpgsqlParameter<string>("manifest", NpgsqlDbType.Jsonb)
        {
            TypedValue = JsonSerializer.Serialize(manifest, UplinkJson.TypeInfo<ClipManifest>()),
        });
        command.Add("size", manifest.SizeBytes);
        command.Add("chunk_bytes", manifest.ChunkBytes);
        command.Add("chunk_count", manifest.ChunkCount);
        command.Add("at", at);
    }

    private static ClipManifest ParseManifest(string json) =>
        JsonSerializer.Deserialize(json, UplinkJson.TypeInfo<ClipManifest>()) ?? throw new InvalidDataException("A staged manifest is null.");

    private static StagedClip ReadStagedClip(NpgsqlDataReader row) => new(row.GetString(0), row.GetString(1), row.GetString(2));
}

using Npgsql;

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

public sealed partial class PostgresFleetCatalog
{
    private const string ClipColumns =
        "clip_id, fleet, device, file_name, size_bytes, sha256, object_key, priority, trigger_ids, model_sha256, frame_count, start_wall, end_wall, received_at, labels";

    public async Task<CatalogWrite> AddClipAsync(CatalogClip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var c = clip.Validated();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await InsertClipAsync(connection, transaction: null, c, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts a validated clip row on <paramref name="connection"/> (inside the caller's transaction when given).</summary>
    private static async Task<CatalogWrite> InsertClipAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CatalogClip c, CancellationToken cancellationToken)
    {
        // The primary key makes the row unique: of two receivers inserting one clip at once, the
        // second waits for the first's commit and then does nothing.
        await using var insert = new NpgsqlCommand(
            $"""
            INSERT INTO clips ({ClipColumns}, model_shas)
            VALUES (@id, @fleet, @device, @file, @size, @sha, @key, @priority, @triggers, @model, @frames, @start, @end, @received_at, @labels, @models)
            ON CONFLICT (clip_id) DO NOTHING
            """,
            connection,
            transaction);
        insert.Add("id", c.ClipId);
        insert.Add("fleet", c.Fleet);
        insert.Add("device", c.Device);
        insert.Add("file", c.FileName);
        insert.Add("size", c.SizeBytes);
        insert.Add("sha", c.Sha256);
        insert.Add("key", c.ObjectKey);
        insert.Add("priority", c.Priority);
        insert.Add("triggers", c.TriggerIds.ToArray());
        insert.Add("model", c.ModelSha256);
        insert.Add("frames", c.FrameCount);
        insert.Add("start", c.StartWall);
        insert.Add("end", c.EndWall);
        insert.Add("received_at", c.ReceivedAt);
        insert.Add("labels", c.Labels.ToArray());
        insert.Add("models", c.ModelShas);
        if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
        {
            return CatalogWrite.Added;
        }

        await using var select = new NpgsqlCommand($"SELECT {ClipColumns} FROM clips WHERE clip_id = @id", connection, transaction);
        select.Add("id", c.ClipId);
        var held = await select.ReadAllAsync(ReadClip, cancellationToken).ConfigureAwait(false);
        return held.Count == 1 && held[0].IsSameClipAs(c) ? CatalogWrite.AlreadyPresent : CatalogWrite.Conflict;
    }

    public async Task<CatalogClip?> GetClipAsync(string clipId, CancellationToken cancellationToken)
    {
        CatalogGuard.Id(clipId, nameof(clipId));
        await using var command = dataSource.CreateCommand($"SELECT {ClipColumns} FROM clips WHERE clip_id = @id");
        command.Add("id", clipId);
        var rows = await command.ReadAllAsync(ReadClip, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<CatalogPage<CatalogClip>> ListClipsAsync(ClipQuery query, CancellationToken cancellationToken)
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

        if (q.ModelSha256 is { } model)
        {
            conditions.Add("model_shas @> @model");
            command.Add("model", new[] { model });
        }

        if (q.Label is { } label)
        {
            conditions.Add("labels @> @label");
            command.Add("label", new[] { label });
        }

        if (q.From is { } from)
        {
            conditions.Add("end_wall >= @from");
            command.Add("from", from);
        }

        if (q.To is { } to)
        {
            conditions.Add("start_wall < @to");
            command.Add("to", to);
        }

        if (PageCursor.Decode(q.After, nameof(q.After)) is { } after)
        {
            conditions.Add("(start_wall, clip_id) < (@after_time, @after_id)");
            command.Add("after_time", after.Time);
            command.Add("after_id", after.Id);
        }

        command.CommandText =
            $"SELECT {ClipColumns} FROM clips {NpgsqlCommandExtensions.Where(conditions)} ORDER BY start_wall DESC, clip_id DESC LIMIT @limit";
        command.Add("limit", q.Limit + 1);
        var rows = await command.ReadAllAsync(ReadClip, cancellationToken).ConfigureAwait(false);
        return CatalogPages.From(rows, q.Limit, c => new PageCursor(c.StartWall, c.ClipId));
    }

    private static CatalogClip ReadClip(NpgsqlDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetString(2),
        row.GetString(3),
        row.GetInt64(4),
        row.GetString(5),
        row.GetString(6),
        row.GetInt32(7),
        row.GetFieldValue<string[]>(8),
        row.IsDBNull(9) ? null : row.GetString(9),
        row.GetInt32(10),
        row.GetFieldValue<DateTimeOffset>(11),
        row.GetFieldValue<DateTimeOffset>(12),
        row.GetFieldValue<DateTimeOffset>(13))
    {
        Labels = row.GetFieldValue<string[]>(14),
    };
}

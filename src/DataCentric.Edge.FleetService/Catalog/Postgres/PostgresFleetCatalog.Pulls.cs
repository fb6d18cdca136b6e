using Npgsql;

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

public sealed partial class PostgresFleetCatalog
{
    private const string PullColumns = "pull_id, fleet, device, window_from, window_to, priority, state, detail, requested_at, updated_at";

    public async Task<CatalogWrite> AddPullAsync(PullRequest pull, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pull);
        var p = pull.Validated();
        await using var insert = dataSource.CreateCommand(
            $"""
            INSERT INTO pull_requests ({PullColumns})
            VALUES (@id, @fleet, @device, @from, @to, @priority, @state, @detail, @requested_at, @updated_at)
            ON CONFLICT (pull_id) DO NOTHING
            """);
        insert.Add("id", p.PullId);
        insert.Add("fleet", p.Fleet);
        insert.Add("device", p.Device);
        insert.Add("from", p.WindowFrom);
        insert.Add("to", p.WindowTo);
        insert.Add("priority", p.Priority);
        insert.Add("state", CatalogGuard.Name(p.State));
        insert.Add("detail", p.Detail);
        insert.Add("requested_at", p.RequestedAt);
        insert.Add("updated_at", p.UpdatedAt);
        if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
        {
            return CatalogWrite.Added;
        }

        var held = await GetPullAsync(p.PullId, cancellationToken).ConfigureAwait(false);
        return held is not null && held.Fleet == p.Fleet && held.Device == p.Device && held.WindowFrom == p.WindowFrom && held.WindowTo == p.WindowTo
            ? CatalogWrite.AlreadyPresent
            : CatalogWrite.Conflict;
    }

    public async Task<bool> SetPullStateAsync(string pullId, PullState state, string? detail, DateTimeOffset at, CancellationToken cancellationToken)
    {
        CatalogGuard.Id(pullId, nameof(pullId));
        await using var command = dataSource.CreateCommand(
            "UPDATE pull_requests SET state = @state, detail = @detail, updated_at = @at WHERE pull_id = @id");
        command.Add("id", pullId);
        command.Add("state", CatalogGuard.Name(CatalogGuard.State(state, nameof(state))));
        command.Add("detail", CatalogGuard.Text(detail, nameof(detail)));
        command.Add("at", CatalogGuard.Time(at));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> TryMovePullAsync(string pullId, PullState from, PullState state, string? detail, DateTimeOffset at, CancellationToken cancellationToken)
    {
        CatalogGuard.Id(pullId, nameof(pullId));
        await using var command = dataSource.CreateCommand(
            "UPDATE pull_requests SET state = @state, detail = @detail, updated_at = @at WHERE pull_id = @id AND state = @from");
        command.Add("id", pullId);
        command.Add("from", CatalogGuard.Name(CatalogGuard.State(from, nameof(from))));
        command.Add("state", CatalogGuard.Name(CatalogGuard.State(state, nameof(state))));
        command.Add("detail", CatalogGuard.Text(detail, nameof(detail)));
        command.Add("at", CatalogGuard.Time(at));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<PullRequest?> GetPullAsync(string pullId, CancellationToken cancellationToken)
    {
        CatalogGuard.Id(pullId, nameof(pullId));
        await using var command = dataSource.CreateCommand($"SELECT {PullColumns} FROM pull_requests WHERE pull_id = @id");
        command.Add("id", pullId);
        var rows = await command.ReadAllAsync(ReadPull, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<PullRequest>> ListPullsAsync(string fleet, string? device, PullState? state, CancellationToken cancellationToken)
    {
        CatalogGuard.Id(fleet, nameof(fleet));
        await using var command = dataSource.CreateCommand();
        List<string> conditions = ["fleet = @fleet"];
        command.Add("fleet", fleet);
        if (CatalogGuard.OptionalId(device, nameof(device)) is { } d)
        {
            conditions.Add("device = @device");
            command.Add("device", d);
        }

        if (state is { } s)
        {
            conditions.Add("state = @state");
            command.Add("state", CatalogGuard.Name(CatalogGuard.State(s, nameof(state))));
        }

        command.CommandText = $"SELECT {PullColumns} FROM pull_requests {NpgsqlCommandExtensions.Where(conditions)} ORDER BY requested_at, pull_id";
        return await command.ReadAllAsync(ReadPull, cancellationToken).ConfigureAwait(false);
    }

    private static PullRequest ReadPull(NpgsqlDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetString(2),
        row.GetFieldValue<DateTimeOffset>(3),
        row.GetFieldValue<DateTimeOffset>(4),
        row.GetInt32(5),
        CatalogGuard.ParseState(row.GetString(6)),
        row.IsDBNull(7) ? null : row.GetString(7),
        row.GetFieldValue<DateTimeOffset>(8),
        row.GetFieldValue<DateTimeOffset>(9));
}

using DataCentric.Edge.FleetService.Catalog.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>The schema migrations on a real PostgreSQL.</summary>
[Trait("Category", "Integration")]
public sealed class PostgresMigratorTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_ByReceiversStartingTogether_AppliesEachVersionOnce()
    {
        await using var dataSource = await postgres.CreateDatabaseAsync();

        var versions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Migrator(dataSource).MigrateAsync(Ct)));

        Assert.All(versions, v => Assert.Equal(PostgresMigrator.CodeVersion, v));
        Assert.Equal(Enumerable.Range(1, PostgresMigrator.CodeVersion), await AppliedVersions(dataSource));
        Assert.Equal(0L, await Scalar<long>(dataSource, "SELECT count(*) FROM clips"));
    }

    [Fact]
    public async Task Migrate_Again_ChangesNothing()
    {
        await using var dataSource = await postgres.CreateMigratedDatabaseAsync();
        var before = await Scalar<DateTime>(dataSource, "SELECT max(applied_at) FROM schema_version");

        Assert.Equal(PostgresMigrator.CodeVersion, await Migrator(dataSource).MigrateAsync(Ct));

        Assert.Equal(before, await Scalar<DateTime>(dataSource, "SELECT max(applied_at) FROM schema_version"));
        Assert.Equal(Enumerable.Range(1, PostgresMigrator.CodeVersion), await AppliedVersions(dataSource));
    }

    [Fact]
    public async Task Migrate_RefusesADatabaseNewerThanTheCode_NamingBothVersions()
    {
        await using var dataSource = await postgres.CreateMigratedDatabaseAsync();
        var newer = PostgresMigrator.CodeVersion + 2;
        await Scalar<int>(dataSource, $"INSERT INTO schema_version (version, name) VALUES ({newer}, 'from_the_future') RETURNING version");

        var error = await Assert.ThrowsAsync<CatalogSchemaTooNewException>(() => Migrator(dataSource).MigrateAsync(Ct));

        Assert.Equal(newer, error.DatabaseVersion);
        Assert.Equal(PostgresMigrator.CodeVersion, error.CodeVersion);
        Assert.Contains($"schema version {newer}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"schema version {PostgresMigrator.CodeVersion})", error.Message, StringComparison.Ordinal);
        Assert.Equal([.. Enumerable.Range(1, PostgresMigrator.CodeVersion), newer], await AppliedVersions(dataSource));
    }

    [Fact]
    public async Task Migrate_OfAFailingStep_LeavesTheSchemaAsItWas()
    {
        await using var dataSource = await postgres.CreateDatabaseAsync();

        // A table in the way makes the first migration fail half-way through.
        await Scalar<int>(dataSource, "CREATE TABLE clips (x int); SELECT 1");

        await Assert.ThrowsAsync<PostgresException>(() => Migrator(dataSource).MigrateAsync(Ct));
        Assert.Equal(0L, await Scalar<long>(dataSource, "SELECT count(*) FROM pg_tables WHERE tablename IN ('devices', 'events', 'schema_version')"));
    }

    private static PostgresMigrator Migrator(NpgsqlDataSource dataSource) => new(dataSource, NullLogger<PostgresMigrator>.Instance);

    private static async Task<List<int>> AppliedVersions(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT version FROM schema_version ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var versions = new List<int>();
        while (await reader.ReadAsync(Ct))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task<T> Scalar<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}

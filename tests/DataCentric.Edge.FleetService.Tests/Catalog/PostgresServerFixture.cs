using DataCentric.Edge.FleetService.Catalog.Postgres;
using DataCentric.Edge.TestKit.Fleet;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>One real PostgreSQL per test class; each test takes a fresh database of it.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async ValueTask InitializeAsync()
    {
        _server = await PostgresServer.StartAsync(TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage($"PostgreSQL on port {_server.Port} started in {_server.StartupTime.TotalMilliseconds:F0} ms");
    }

    /// <summary>A fresh database, not migrated.</summary>
    public async Task<NpgsqlDataSource> CreateDatabaseAsync() =>
        NpgsqlDataSource.Create(await Server.CreateDatabaseAsync(TestContext.Current.CancellationToken));

    /// <summary>A fresh database at the code's schema version.</summary>
    public async Task<NpgsqlDataSource> CreateMigratedDatabaseAsync()
    {
        var dataSource = await CreateDatabaseAsync();
        await new PostgresMigrator(dataSource, NullLogger<PostgresMigrator>.Instance).MigrateAsync(TestContext.Current.CancellationToken);
        return dataSource;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

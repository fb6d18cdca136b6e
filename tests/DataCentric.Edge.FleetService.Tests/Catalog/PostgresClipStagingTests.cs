using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.Postgres;
using Npgsql;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>The staging contract on a real PostgreSQL: one server for the class, a migrated database per test.</summary>
[Trait("Category", "Integration")]
public sealed class PostgresClipStagingTests(PostgresServerFixture postgres) : ClipStagingContractTests, IClassFixture<PostgresServerFixture>
{
    private NpgsqlDataSource? _dataSource;

    protected override async Task<IFleetCatalog> CreateCatalogAsync()
    {
        _dataSource = await postgres.CreateMigratedDatabaseAsync();
        return new PostgresFleetCatalog(_dataSource);
    }

    protected override async ValueTask DisposeCatalogAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}

using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.LiteDb;
using DataCentric.Edge.FleetService.Catalog.Postgres;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>The catalog as the host composes it: chosen by configuration, readied (migrated or opened) at start.</summary>
[Trait("Category", "Integration")]
public sealed class CatalogServiceCollectionExtensionsTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Postgres_IsMigratedAtStart_AndServesEveryPartFromOneCatalog()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync(Ct);
        using var host = Build(("Catalog:Provider", "Postgres"), ("Catalog:ConnectionString", connectionString));

        await host.StartAsync(Ct);

        var catalog = host.Services.GetRequiredService<IFleetCatalog>();
        Assert.IsType<PostgresFleetCatalog>(catalog);
        Assert.Same(catalog, host.Services.GetRequiredService<IFleetIngest>());
        Assert.Same(catalog, host.Services.GetRequiredService<IFleetQueries>());
        Assert.Same(catalog, host.Services.GetRequiredService<IPullRequests>());
        Assert.Equal(CatalogWrite.Added, await catalog.AddClipAsync(Clip("c1"), Ct));
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task Postgres_NewerThanTheCode_StopsTheStart()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync(Ct);
        await using (var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString))
        {
            await using var command = dataSource.CreateCommand(
                "CREATE TABLE schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()); " +
                $"INSERT INTO schema_version (version, name) VALUES ({PostgresMigrator.CodeVersion + 1}, 'next')");
            await command.ExecuteNonQueryAsync(Ct);
        }

        using var host = Build(("Catalog:Provider", "Postgres"), ("Catalog:ConnectionString", connectionString));

        await Assert.ThrowsAsync<CatalogSchemaTooNewException>(() => host.StartAsync(Ct));
    }

    [Fact]
    public async Task Postgres_WithoutAConnectionString_FailsValidationAtStart_NamingTheKey()
    {
        using var host = Build(("Catalog:Provider", "Postgres"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Catalog:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embedded_IsTheDefault_AndOpensItsFileAtStart()
    {
        using var dir = new TempDirectory("dce-fleet-host");
        var path = dir.Combine("catalog", "fleet.db");
        using (var host = Build(("Catalog:EmbeddedPath", path)))
        {
            await host.StartAsync(Ct);

            Assert.IsType<LiteDbFleetCatalog>(host.Services.GetRequiredService<IFleetCatalog>());
            Assert.True(File.Exists(path));
            await host.StopAsync(Ct);
        }

        // The container disposed the catalog: the file is free for the next process.
        new LiteDbFleetCatalog(path).Dispose();
    }

    private static IHost Build(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Services.AddFleetCatalog(builder.Configuration);
        return builder.Build();
    }
}

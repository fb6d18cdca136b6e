using DataCentric.Edge.FleetService.Catalog.Postgres;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

[Trait("Category", "Unit")]
public sealed class CatalogMigrationTests
{
    [Fact]
    public void EmbeddedMigrations_AreNumberedFromOne_WithoutGaps_AndNotEmpty()
    {
        var migrations = CatalogMigration.All;

        Assert.Equal(Enumerable.Range(1, migrations.Count), migrations.Select(m => m.Version));
        Assert.Equal("initial", migrations[0].Name);
        Assert.All(migrations, m => Assert.Contains("CREATE", m.Sql, StringComparison.Ordinal));
        Assert.Equal(migrations[^1].Version, PostgresMigrator.CodeVersion);
    }
}

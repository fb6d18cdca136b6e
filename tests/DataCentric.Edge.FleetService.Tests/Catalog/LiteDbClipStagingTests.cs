using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.LiteDb;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>The staging contract on a real LiteDB file.</summary>
[Trait("Category", "Integration")]
public sealed class LiteDbClipStagingTests : ClipStagingContractTests
{
    private readonly TempDirectory _dir = new("dce-fleet-staging");
    private LiteDbFleetCatalog? _catalog;

    protected override Task<IFleetCatalog> CreateCatalogAsync()
    {
        _catalog = new LiteDbFleetCatalog(_dir.Combine("fleet.db"));
        return Task.FromResult<IFleetCatalog>(_catalog);
    }

    protected override ValueTask DisposeCatalogAsync()
    {
        _catalog?.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}

using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.LiteDb;
using DataCentric.Edge.TestKit;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>The catalog contract on a real LiteDB file, plus what only the embedded store has to do.</summary>
[Trait("Category", "Integration")]
public sealed class LiteDbFleetCatalogTests : FleetCatalogContractTests
{
    private readonly TempDirectory _dir = new("dce-fleet-catalog");
    private LiteDbFleetCatalog? _catalog;

    private string DatabasePath => _dir.Combine("fleet.db");

    [Fact]
    public async Task Reopened_KeepsWhatWasWritten()
    {
        await Catalog.AddClipAsync(Clip("c1"), Ct);
        await Catalog.AddEventAsync("acme", "cam-1", Event("e1"), T0, Ct);
        _catalog!.Dispose();

        _catalog = new LiteDbFleetCatalog(DatabasePath);

        Assert.Equal(Sha("c1"), (await _catalog.GetClipAsync("c1", Ct))?.Sha256);
        Assert.Single((await _catalog.ListEventsAsync(new EventQuery(), Ct)).Items);
    }

    [Fact]
    public async Task AClipStoredBeforeLabels_ReadsBackWithNone_AndNoLabelFindsIt()
    {
        await Catalog.AddClipAsync(Clip("c1") with { Labels = ["class-1"] }, Ct);
        _catalog!.Dispose();

        // The document as a catalog from before clip labels wrote it: no "labels" field.
        using (var database = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = DatabasePath, Connection = LiteDB.ConnectionType.Direct }))
        {
            var clips = database.GetCollection("clips");
            var document = clips.FindById("c1");
            Assert.True(document.Remove("labels"));
            Assert.True(clips.Update(document));
        }

        _catalog = new LiteDbFleetCatalog(DatabasePath);

        Assert.Empty((await _catalog.GetClipAsync("c1", Ct))!.Labels);
        Assert.Empty((await _catalog.ListClipsAsync(new ClipQuery { Label = "class-1" }, Ct)).Items);
        Assert.Single((await _catalog.ListClipsAsync(new ClipQuery { Device = "cam-1" }, Ct)).Items);
    }

    [Fact]
    public void SecondOpen_OfTheSameFile_IsRefused()
    {
        var error = Assert.Throws<IOException>(() => new LiteDbFleetCatalog(DatabasePath));

        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
    }

    protected override Task<IFleetCatalog> CreateCatalogAsync()
    {
        _catalog = new LiteDbFleetCatalog(DatabasePath);
        return Task.FromResult<IFleetCatalog>(_catalog);
    }

    protected override ValueTask DisposeCatalogAsync()
    {
        _catalog?.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}

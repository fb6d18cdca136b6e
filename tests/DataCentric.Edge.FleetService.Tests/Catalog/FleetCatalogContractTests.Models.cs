using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;
using static DataCentric.Edge.FleetService.Tests.Catalog.ModelSamples;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>Model release acks (per device, model and version) and staged rollouts, in both catalogs.</summary>
public abstract partial class FleetCatalogContractTests
{
    [Fact]
    public async Task ModelAck_StepsOfOneRelease_TheDeviceShowsItsLatestStepPerModel()
    {
        await Catalog.RecordStatusAsync(Status("cam-1", "online"), T0, Ct);
        await Catalog.RecordStatusAsync(Status("cam-2", "online"), T0, Ct);

        Assert.True(await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Downloading, 1, activeVersion: 1, bytesReceived: 131072), Ct));
        Assert.True(await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Probation, 2, activeVersion: 1), Ct));
        Assert.True(await Catalog.RecordModelReleaseAckAsync(
            ModelAck("cam-1", 2, ModelReleaseStage.Active, 3, activeVersion: 2, probation: Probation(41.5, 300_000_000)), Ct));
        Assert.True(await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 1, ModelReleaseStage.Active, 4, activeVersion: 1, name: "lane"), Ct));

        var page = await Catalog.ListDevicePageAsync(new DeviceQuery { Fleet = "acme" }, Ct);
        var models = Assert.Single(page.Items, d => d.Device == "cam-1").Models;
        Assert.Equal(["det", "lane"], models.Select(m => m.Name));
        var det = models[0];
        Assert.Equal((2, "active", 2, ModelSha("det", 2), ModelSha("det", 2)), (det.Version, det.Stage, det.ActiveVersion, det.Sha256, det.ActiveSha256));
        Assert.Equal(new CatalogProbation(200, 0, 20.75, 41.5, 300_000_000, 512L * 1024 * 1024), det.Probation);
        Assert.Equal(Stored(T0.AddMinutes(3)), det.At);
        Assert.Empty(det.Reasons);
        Assert.Empty(Assert.Single(page.Items, d => d.Device == "cam-2").Models);
        Assert.Equal(["det", "lane"], Assert.Single(await Catalog.ListDevicesAsync("acme", Ct), d => d.Device == "cam-1").Models.Select(m => m.Name));
    }

    [Fact]
    public async Task ModelAck_ARolledBackVersion_KeepsItsReasons_AfterTheNextVersionIsActive()
    {
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
        await Catalog.RecordModelReleaseAckAsync(
            ModelAck("cam-1", 3, ModelReleaseStage.RolledBack, 2, activeVersion: 2, reasons: [("overLatencyBudget", "p95 410 ms over the 40 ms budget")],
                probation: Probation(410, 280_000_000)),
            Ct);
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 4, ModelReleaseStage.Active, 3, activeVersion: 4), Ct);
        await Catalog.RecordModelReleaseAckAsync(
            ModelAck("cam-2", 4, ModelReleaseStage.Refused, 3, activeVersion: 0, reasons: [("tooLargeForMemory", "48 MiB over 32 MiB"), ("hashMismatch", "got 00ff")]), Ct);
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-9", 4, ModelReleaseStage.Active, 3, activeVersion: 4, fleet: "other"), Ct);

        var acks = await Catalog.ListModelReleasesAsync("acme", "det", null, Ct);
        Assert.Equal(["cam-1 v2 active", "cam-1 v3 rolledBack", "cam-1 v4 active", "cam-2 v4 refused"], acks.Select(a => $"{a.Device} v{a.Version} {a.Stage}"));
        var rolledBack = acks[1];
        Assert.Equal([new CatalogModelReason("overLatencyBudget", "p95 410 ms over the 40 ms budget")], rolledBack.Reasons);
        Assert.Equal(410, rolledBack.Probation?.LatencyP95Ms);
        Assert.Equal(["tooLargeForMemory", "hashMismatch"], acks[3].Reasons.Select(r => r.Reason));
        Assert.Null(acks[3].ActiveSha256);
        Assert.Equal(["cam-2 v4"], (await Catalog.ListModelReleasesAsync(null, null, "cam-2", Ct)).Select(a => $"{a.Device} v{a.Version}"));
        Assert.Empty(await Catalog.ListModelReleasesAsync("acme", "lane", null, Ct));
    }

    [Fact]
    public async Task ModelAck_OlderThanTheOneHeldForItsVersion_IsIgnored_AndOneBeforeTheFirstStatusIsKept()
    {
        Assert.True(await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 5, activeVersion: 2), Ct));
        Assert.False(await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Probation, 4, activeVersion: 1), Ct));
        await Catalog.RecordStatusAsync(Status("cam-1", "online"), T0, Ct);

        var det = Assert.Single(Assert.Single(await Catalog.ListDevicesAsync(null, Ct)).Models);
        Assert.Equal(("active", 2), (det.Stage, det.ActiveVersion));
    }

    [Fact]
    public async Task ModelAck_WithBadValues_IsRefused_AndNothingIsStored()
    {
        await Catalog.RecordStatusAsync(Status("cam-1", "online"), T0, Ct);
        var good = ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2);

        await Assert.ThrowsAsync<ArgumentException>(() => Catalog.RecordModelReleaseAckAsync(good with { Version = -1 }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Catalog.RecordModelReleaseAckAsync(good with { Device = "" }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Catalog.RecordModelReleaseAckAsync(good with { Sha256 = "not-a-hash" }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Catalog.RecordModelReleaseAckAsync(good with { Stage = (ModelReleaseStage)42 }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Catalog.RecordModelReleaseAckAsync(good with { Probation = Probation(double.NaN, 1) }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Catalog.RecordModelReleaseAckAsync(good with { Probation = Probation(10, -1) }, Ct));

        Assert.Empty(Assert.Single(await Catalog.ListDevicesAsync(null, Ct)).Models);
        Assert.Empty(await Catalog.ListModelReleasesAsync(null, null, null, Ct));
    }

    [Fact]
    public async Task Rollout_SavedWithTheExpectedRevision_ReplacesTheDocument_AndAStaleSaveIsRefused()
    {
        var first = new CatalogRollout("r1", "acme", "det", 3, 1, """{"state":"planned"}""", T0, T0);
        Assert.True(await Catalog.SaveRolloutAsync(first, 0, Ct));
        Assert.False(await Catalog.SaveRolloutAsync(first, 0, Ct)); // a second start with the same id

        var promoted = first with { Revision = 2, Document = """{"state":"running"}""", UpdatedAt = T0.AddMinutes(1) };
        Assert.True(await Catalog.SaveRolloutAsync(promoted, 1, Ct));
        Assert.False(await Catalog.SaveRolloutAsync(first with { Revision = 2, Document = """{"state":"halted"}""" }, 1, Ct)); // lost the race

        Assert.Equal(promoted with { CreatedAt = Stored(T0), UpdatedAt = Stored(T0.AddMinutes(1)) }, await Catalog.GetRolloutAsync("r1", Ct));
        Assert.Null(await Catalog.GetRolloutAsync("r2", Ct));
    }

    [Fact]
    public async Task Rollouts_ListByModel_NewestFirst_FilteredByFleet()
    {
        await Catalog.SaveRolloutAsync(new CatalogRollout("r-old", "acme", "det", 2, 1, "{}", T0, T0), 0, Ct);
        await Catalog.SaveRolloutAsync(new CatalogRollout("r-new", "acme", "det", 3, 1, "{}", T0.AddHours(1), T0.AddHours(1)), 0, Ct);
        await Catalog.SaveRolloutAsync(new CatalogRollout("r-lane", "acme", "lane", 1, 1, "{}", T0, T0), 0, Ct);
        await Catalog.SaveRolloutAsync(new CatalogRollout("r-other", "other", "det", 1, 1, "{}", T0, T0), 0, Ct);

        Assert.Equal(["r-new", "r-old"], (await Catalog.ListRolloutsAsync("acme", "det", Ct)).Select(r => r.Id));
        Assert.Equal(["r-new", "r-other", "r-old"], (await Catalog.ListRolloutsAsync(null, "det", Ct)).Select(r => r.Id));
    }
}

using DataCentric.Edge.FleetService.Catalog.Comparison;
using static DataCentric.Edge.FleetService.Tests.Catalog.ComparisonScenario;
using static DataCentric.Edge.FleetService.Tests.Catalog.ModelSamples;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>Comparing a model's versions (exposure, rates, reviewed figures), in both catalogs, on <see cref="ComparisonScenario"/>.</summary>
public abstract partial class FleetCatalogContractTests
{
    // Acks carry T0 (Hour0 + 0.12 s, 0.00003 h) and counter reports a few ticks: figures agree to 3 decimals.
    private const int HourPrecision = 3;

    [Fact]
    public async Task CompareModel_TwoVersions_RatesArePerHourOfExposure_ReviewsFromTheLatestReportOfEachDataset()
    {
        await WriteAsync(Catalog, Ct);

        var c = await Catalog.CompareModelAsync(new ModelComparisonQuery("det") { Fleet = "acme" }, Ct);

        Assert.NotNull(c);
        Assert.Equal(2, c.Devices);
        Assert.Equal([3, 2, 1], c.Versions.Select(v => v.Version));
        var (v3, v2, v1) = (c.Versions[0], c.Versions[1], c.Versions[2]);
        Assert.Equal((ModelSha("det", 1), 2, 6L, 2L), (v1.Sha256, v1.Devices, v1.Events, v1.Clips));
        Assert.Equal(5.0, v1.ExposureHours, HourPrecision);
        Assert.Equal(1.2, v1.EventsPerHour!.Value, HourPrecision);
        Assert.Equal(0.4, v1.ClipsPerHour!.Value, HourPrecision);
        Assert.Equal(["brake-disagree 5/0/2", "lane-drift 1/1/0"], v1.Triggers.Select(t => $"{t.TriggerId} {t.Events}/{t.DryRunEvents}/{t.Clips}"));
        Assert.Equal(1.0, v1.Triggers[0].EventsPerHour!.Value, HourPrecision);
        Assert.Null(v1.Reviewed);

        Assert.Equal((ModelSha("det", 2), 1, 2L, 1L), (v2.Sha256, v2.Devices, v2.Events, v2.Clips));
        Assert.Equal(2.0, v2.ExposureHours, HourPrecision);
        Assert.Equal(1.0, v2.EventsPerHour!.Value, HourPrecision);
        Assert.Equal(["brake-disagree 2/0/1", "swerve 1/0/1"], v2.Triggers.Select(t => $"{t.TriggerId} {t.Events}/{t.DryRunEvents}/{t.Clips}"));
        Assert.Equal(0.5, v2.Triggers[1].EventsPerHour!.Value, HourPrecision);

        var reviewed = Assert.IsType<ReviewedFigures>(v2.Reviewed);
        Assert.Equal(["a.new", "b.1"], reviewed.ReportIds.Order(StringComparer.Ordinal));
        Assert.Equal((20L, 14L, 40L, 40L, 30L, 29L, 10L, 6L),
            (reviewed.Frames, reviewed.ModelRightFrames, reviewed.ModelBoxes, reviewed.ReviewedBoxes, reviewed.MatchedBoxes, reviewed.SameClass, reviewed.Events, reviewed.EventsTrue));
        Assert.Equal((0.75, 0.75, 0.966667, 0.7, 0.6), (reviewed.BoxPrecision, reviewed.BoxRecall, reviewed.ClassAccuracy, reviewed.ModelRight, reviewed.TriggerPrecision));

        // Refused everywhere: listed, never ran, so no rate rather than a rate of zero.
        Assert.Equal((0, 0.0, 0L, (double?)null, (ReviewedFigures?)null), (v3.Devices, v3.ExposureHours, v3.Events, v3.EventsPerHour, v3.Reviewed));
        Assert.Equal(0.5, c.UnattributedHours, HourPrecision);
        Assert.Equal((1L, 1L), (c.UnattributedEvents, c.UnattributedClips));
    }

    [Fact]
    public async Task CompareModel_Window_CutsExposureEventsAndClips_AtItsEdges()
    {
        await WriteAsync(Catalog, Ct);

        var c = await Catalog.CompareModelAsync(new ModelComparisonQuery("det") { From = At(60), To = At(180) }, Ct);

        var v2 = Assert.Single(c!.Versions, v => v.Version == 2);
        var v1 = Assert.Single(c.Versions, v => v.Version == 1);
        Assert.Equal(3.0, v1.ExposureHours, HourPrecision); // cam-1 60-120, cam-2 60-180
        Assert.Equal(1.0, v2.ExposureHours, HourPrecision); // cam-1 120-180
        Assert.Equal((5L, 2L), (v1.Events, v1.Clips));      // cam-1 at 125 (its clip says v1), cam-2 70-100; c-late, c-two-models
        Assert.Equal((2L, 1L), (v2.Events, v2.Clips));
        Assert.Equal(0.0, c.UnattributedHours, HourPrecision);
        Assert.Equal((0L, 1L), (c.UnattributedEvents, c.UnattributedClips));
    }

    [Fact]
    public async Task CompareModel_OneDeviceOrAGroupsDevices_OnlyTheirRowsCount()
    {
        await WriteAsync(Catalog, Ct);

        var byDevice = await Catalog.CompareModelAsync(new ModelComparisonQuery("det") { Device = "cam-2" }, Ct);
        var byMembers = await Catalog.CompareModelAsync(new ModelComparisonQuery("det") { Devices = ["cam-2", "cam-9"] }, Ct);

        foreach (var c in new[] { byDevice!, byMembers! })
        {
            Assert.Equal(1, c.Devices);
            var v1 = Assert.Single(c.Versions, v => v.Version == 1);
            Assert.Equal(3.0, v1.ExposureHours, HourPrecision);
            Assert.Equal((1, 4L, 1L), (v1.Devices, v1.Events, v1.Clips));
            Assert.DoesNotContain(c.Versions, v => v.Version == 2); // no ack of cam-2 names it
            Assert.Equal((0L, 1L), (c.UnattributedEvents, c.UnattributedClips));
        }
    }

    [Fact]
    public async Task CompareModel_UnknownModelOrDevice_IsNull_AndAWindowEndingBeforeItStarts_NamesTo()
    {
        await WriteAsync(Catalog, Ct);

        Assert.Null(await Catalog.CompareModelAsync(new ModelComparisonQuery("nope"), Ct));
        Assert.Null(await Catalog.CompareModelAsync(new ModelComparisonQuery("det") { Device = "cam-3" }, Ct));
        Assert.Null(await Catalog.CompareModelAsync(new ModelComparisonQuery("det") { Fleet = "other" }, Ct));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Catalog.CompareModelAsync(new ModelComparisonQuery("det") { From = At(60), To = At(30) }, Ct));
        Assert.Equal("To", error.ParamName);
        Assert.Equal("Name", (await Assert.ThrowsAsync<ArgumentException>(() => Catalog.CompareModelAsync(new ModelComparisonQuery(""), Ct))).ParamName);
    }
}

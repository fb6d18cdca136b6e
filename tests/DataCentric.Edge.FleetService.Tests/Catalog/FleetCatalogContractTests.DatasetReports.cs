using DataCentric.Edge.FleetService.Catalog;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>Dataset reports: kept whole, listed newest first by dataset and kind, idempotent by id.</summary>
public abstract partial class FleetCatalogContractTests
{
    private IDatasetReports Reports => (IDatasetReports)Catalog;

    [Fact]
    public async Task DatasetReports_AreListedNewestFirst_ByDatasetAndKind_AndKeptWhole()
    {
        Assert.Equal(CatalogWrite.Added, await Reports.AddDatasetReportAsync(Report("a.build", "a", "build", minutes: 1), Ct));
        Assert.Equal(CatalogWrite.Added, await Reports.AddDatasetReportAsync(Report("a.import", "a", "import", minutes: 2), Ct));
        Assert.Equal(CatalogWrite.Added, await Reports.AddDatasetReportAsync(Report("b.build", "b", "build", minutes: 3), Ct));

        Assert.Equal(["b.build", "a.import", "a.build"], (await Reports.ListDatasetReportsAsync(null, null, 10, Ct)).Select(r => r.ReportId));
        Assert.Equal(["a.import", "a.build"], (await Reports.ListDatasetReportsAsync("a", null, 10, Ct)).Select(r => r.ReportId));
        Assert.Equal(["a.build"], (await Reports.ListDatasetReportsAsync("a", "build", 10, Ct)).Select(r => r.ReportId));
        Assert.Equal(["b.build"], (await Reports.ListDatasetReportsAsync(null, null, 1, Ct)).Select(r => r.ReportId));
        var held = await Reports.GetDatasetReportAsync("a.import", Ct);
        Assert.Equal(("a", "import", Stored(T0.AddMinutes(2)), "ops"), (held?.Dataset, held?.Kind, held?.CreatedAt, held?.PostedBy));
        Assert.Contains("\"figure\": 2", held!.Json, StringComparison.Ordinal);
        Assert.Null(await Reports.GetDatasetReportAsync("nope", Ct));
    }

    [Fact]
    public async Task DatasetReport_SameIdAgain_IsAlreadyPresent_OrAConflictWithOtherContent()
    {
        var report = Report("a.build", "a", "build", minutes: 1);
        await Reports.AddDatasetReportAsync(report, Ct);

        Assert.Equal(CatalogWrite.AlreadyPresent, await Reports.AddDatasetReportAsync(report, Ct));
        Assert.Equal(CatalogWrite.Conflict, await Reports.AddDatasetReportAsync(report with { Json = """{"figure": 9}""" }, Ct));
        Assert.Contains("\"figure\": 1", (await Reports.GetDatasetReportAsync("a.build", Ct))!.Json, StringComparison.Ordinal);
    }

    private static DatasetReport Report(string id, string dataset, string kind, int minutes) =>
        new(id, dataset, kind, T0.AddMinutes(minutes), "ops", T0.AddMinutes(10), $$"""{"figure": {{minutes}}}""");
}

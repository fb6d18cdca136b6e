using System.Net;
using System.Text;

namespace DataCentric.Edge.FleetService.Tests.Api;

/// <summary><c>/api/datasets/reports</c>: an operator stores a report, a viewer reads it back; bad bodies are refused naming the field.</summary>
[Trait("Category", "Integration")]
public sealed class DatasetReportEndpointTests : ApiTestBase
{
    private const string Report =
        """{"reportId":"week49.import.20261206T030000Z","kind":"import","dataset":"week49","createdAt":"2026-12-06T03:00:00Z","overall":{"modelRight":0.87,"triggerPrecision":0.64}}""";

    [Fact]
    public async Task Operator_PostsAReport_ViewerListsAndReadsIt_ARepostIsOk_AndOtherContentConflicts()
    {
        using var op = Api.Client(ApiUnderTest.OperatorToken);
        using var viewer = Api.Client(ApiUnderTest.ViewerToken);

        using (var created = await op.PostAsync("/api/datasets/reports", Json(Report), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var again = await op.PostAsync("/api/datasets/reports", Json(Report), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        using (var other = await op.PostAsync("/api/datasets/reports", Json(Report.Replace("0.87", "0.5", StringComparison.Ordinal)), Ct))
        {
            Assert.Contains("week49.import.20261206T030000Z", await ProblemAsync(other, HttpStatusCode.Conflict), StringComparison.Ordinal);
        }

        using var list = await viewer.GetAsync("/api/datasets/reports?dataset=week49&kind=import", Ct);
        var item = Assert.Single((await JsonAsync(list)).GetProperty("items").EnumerateArray());
        Assert.Equal(0.64, item.GetProperty("overall").GetProperty("triggerPrecision").GetDouble());
        using var none = await viewer.GetAsync("/api/datasets/reports?dataset=week49&kind=build", Ct);
        Assert.Empty((await JsonAsync(none)).GetProperty("items").EnumerateArray());

        using var one = await viewer.GetAsync("/api/datasets/reports/week49.import.20261206T030000Z", Ct);
        Assert.Equal(0.87, (await JsonAsync(one)).GetProperty("overall").GetProperty("modelRight").GetDouble());
        using var missing = await viewer.GetAsync("/api/datasets/reports/nope", Ct);
        Assert.Contains("nope", await ProblemAsync(missing, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_MayNotPost()
    {
        using var viewer = Api.Client(ApiUnderTest.ViewerToken);

        using var refused = await viewer.PostAsync("/api/datasets/reports", Json(Report), Ct);

        Assert.Contains("needs operator", await ProblemAsync(refused, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        using var list = await viewer.GetAsync("/api/datasets/reports", Ct);
        Assert.Empty((await JsonAsync(list)).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"kind":"import","dataset":"d","createdAt":"2026-12-06T03:00:00Z"}""", "body field 'reportId' is required")]
    [InlineData("""{"reportId":"r","kind":"import","createdAt":"2026-12-06T03:00:00Z"}""", "body field 'dataset' is required")]
    [InlineData("""{"reportId":"r","kind":"train","dataset":"d","createdAt":"2026-12-06T03:00:00Z"}""", "body field 'kind': 'train' is not build or import")]
    [InlineData("""{"reportId":"r","kind":"build","dataset":"d","createdAt":"monday"}""", "body field 'createdAt': 'monday' is not an ISO 8601 time")]
    [InlineData("""{"reportId":"r","kind":"build","dataset":"d","createdAt":""" + "\"2026-12-06T03:00:00Z\"" + "", "the body is not JSON")]
    [InlineData("""[1, 2]""", "the body must be a JSON object")]
    public async Task BadBody_Is400NamingTheField_AndNothingIsStored(string body, string expected)
    {
        using var op = Api.Client(ApiUnderTest.OperatorToken);

        using var refused = await op.PostAsync("/api/datasets/reports", Json(body), Ct);

        Assert.Contains(expected, await ProblemAsync(refused, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Empty(await Catalog.ListDatasetReportsAsync(null, null, 10, Ct));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

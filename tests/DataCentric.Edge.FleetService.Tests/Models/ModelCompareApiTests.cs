using System.Net;
using System.Net.Http.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Models;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.FleetService.Tests.Catalog;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;
using static DataCentric.Edge.FleetService.Tests.Catalog.ModelSamples;

namespace DataCentric.Edge.FleetService.Tests.Models;

/// <summary><c>GET /api/models/{name}/compare</c> on real Kestrel over a real LiteDB catalog holding <see cref="ComparisonScenario"/>.</summary>
[Trait("Category", "Integration")]
public sealed class ModelCompareApiTests : ApiTestBase
{
    [Fact]
    public async Task Compare_AnswersPerVersionRatesAndReviews_AndSaysWhatTheRatesArePer()
    {
        await ComparisonScenario.WriteAsync(Catalog, Ct);
        using var viewer = Api.Client(ApiUnderTest.ViewerToken);

        var c = await viewer.GetFromJsonAsync("/api/models/det/compare?fleet=acme", FleetApiJsonContext.Default.ApiModelComparison, Ct);

        Assert.Equal(("det", "acme", 2), (c!.Name, c.Fleet, c.Devices));
        Assert.Equal([3, 2, 1], c.Versions.Select(v => v.Version));
        Assert.Equal(1.2, c.Versions[2].EventsPerHour!.Value, 3);
        Assert.Equal(1.0, c.Versions[1].EventsPerHour!.Value, 3);
        Assert.Equal((0.75, 0.6), (c.Versions[1].Reviewed!.BoxPrecision, c.Versions[1].Reviewed!.TriggerPrecision));
        Assert.Null(c.Versions[2].Reviewed);
        Assert.Contains("exposureHours = device-hours the agent was running", c.Exposure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_ForAGroup_CountsTheDevicesThatAckedARolloutStageSentToIt()
    {
        await ComparisonScenario.WriteAsync(Catalog, Ct);
        // v2 went to cam-9 as a canary, then to group "north": cam-1 acked it, so cam-1 is the group's known member.
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-9", 2, ModelReleaseStage.Active, 100, activeVersion: 2), Ct);
        var plan = new RolloutPlan(
            "r1", "acme", "det", 2, ModelSha("det", 2), 10,
            [new RolloutPlanStage([new RolloutTarget("device", "cam-9", "t1")], ["e1"], T0), new RolloutPlanStage([new RolloutTarget("group", "north", "t2")], ["e2"], T0)],
            1, RolloutPlan.Completed, null, null, "ops", T0);
        Assert.True(await Catalog.SaveRolloutAsync(new CatalogRollout("r1", "acme", "det", 2, 1, plan.ToDocument(), T0, T0), 0, Ct));
        using var viewer = Api.Client(ApiUnderTest.ViewerToken);

        var c = await viewer.GetFromJsonAsync("/api/models/det/compare?group=north", FleetApiJsonContext.Default.ApiModelComparison, Ct);

        Assert.Equal(("north", 1), (c!.Group, c.Devices));
        Assert.Equal(2.0, Assert.Single(c.Versions, v => v.Version == 2).ExposureHours, 3);
        Assert.Equal(2.0, Assert.Single(c.Versions, v => v.Version == 1).ExposureHours, 3); // cam-1 only, not cam-2's 3 h
    }

    [Theory]
    [InlineData("/api/models/nope/compare", HttpStatusCode.NotFound, "no device reported model 'nope'")]
    [InlineData("/api/models/det/compare?device=cam-3", HttpStatusCode.NotFound, "no device reported model 'det' on device 'cam-3'")]
    [InlineData("/api/models/det/compare?group=south", HttpStatusCode.NotFound, "no known device of group 'south'")]
    [InlineData("/api/models/det/compare?from=2026-12-05T12:00:00Z&to=2026-12-05T11:00:00Z", HttpStatusCode.BadRequest, "query parameter 'to': The window ends")]
    [InlineData("/api/models/det/compare?from=yesterday", HttpStatusCode.BadRequest, "query parameter 'from': 'yesterday' is not a time")]
    [InlineData("/api/models/det/compare?colour=red", HttpStatusCode.BadRequest, "unknown query parameter 'colour'")]
    [InlineData("/api/models/det/compare?device=%01", HttpStatusCode.BadRequest, "query parameter 'device'")]
    [InlineData("/api/models/det/compare?group=%01", HttpStatusCode.BadRequest, "query parameter 'group'")]
    [InlineData("/api/models/de+t/compare", HttpStatusCode.BadRequest, "name 'de+t'")]
    public async Task Compare_BadOrUnknownParameters_AnswerWithTheFieldNamed(string path, HttpStatusCode status, string detail)
    {
        await ComparisonScenario.WriteAsync(Catalog, Ct);
        using var viewer = Api.Client(ApiUnderTest.ViewerToken);

        Assert.Contains(detail, await ProblemAsync(await viewer.GetAsync(path, Ct), status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_WithoutAToken_Is401()
    {
        using var anonymous = Api.Client(null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/models/det/compare", Ct)).StatusCode);
    }
}

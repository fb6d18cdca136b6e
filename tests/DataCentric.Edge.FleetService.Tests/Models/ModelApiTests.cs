using System.Net;
using System.Net.Http.Json;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Tests.Api;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;
using static DataCentric.Edge.FleetService.Tests.Catalog.ModelSamples;
using static DataCentric.Edge.FleetService.Tests.Models.RolloutEnvelopeSamples;

namespace DataCentric.Edge.FleetService.Tests.Models;

/// <summary>The model endpoints on real Kestrel over a real LiteDB catalog: the devices' models, one model's view, rollout input and roles.</summary>
[Trait("Category", "Integration")]
public sealed class ModelApiTests : ApiTestBase
{
    private readonly RolloutEnvelopeSamples _envelopes = new();

    [Fact]
    public async Task Devices_CarryEachModel_ActiveVersionHashAndLastStepWithReasons()
    {
        await Catalog.RecordStatusAsync(Status("cam-1", "online"), T0, Ct);
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
        await Catalog.RecordModelReleaseAckAsync(
            ModelAck("cam-1", 3, ModelReleaseStage.RolledBack, 2, activeVersion: 2, reasons: [("overMemoryLimit", "RSS 600 MiB over the 512 MiB limit")],
                probation: Probation(38, 629_145_600)),
            Ct);

        using var viewer = Api.Client(ApiUnderTest.ViewerToken);
        var page = await viewer.GetFromJsonAsync("/api/devices?fleet=acme", FleetApiJsonContext.Default.ApiPageApiDevice, Ct);
        var model = Assert.Single(Assert.Single(page!.Items).Models);
        Assert.Equal(("det", 2, ModelSha("det", 2)), (model.Name, model.ActiveVersion, model.ActiveSha256));
        Assert.Equal((3, "rolledBack", 629_145_600L), (model.LastRelease.Version, model.LastRelease.Stage, model.LastRelease.Probation?.ResidentBytes));
        Assert.Equal([new ApiModelReason("overMemoryLimit", "RSS 600 MiB over the 512 MiB limit")], model.LastRelease.Reasons);
    }

    [Fact]
    public async Task ModelView_PerVersion_WhoRunsIt_WhoRolledBackOrRefusedAndWhy_WhoIsStillInProgress()
    {
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-2", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 3, ModelReleaseStage.Active, 2, activeVersion: 3, probation: Probation(30, 1)), Ct);
        await Catalog.RecordModelReleaseAckAsync(
            ModelAck("cam-2", 3, ModelReleaseStage.RolledBack, 2, activeVersion: 2, reasons: [("overLatencyBudget", "p95 410 ms over 40 ms")]), Ct);
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-3", 3, ModelReleaseStage.Refused, 2, activeVersion: 0, reasons: [("hashMismatch", "got 00ff")]), Ct);
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-4", 3, ModelReleaseStage.Downloading, 2, activeVersion: 0, bytesReceived: 4096), Ct);

        using var viewer = Api.Client(ApiUnderTest.ViewerToken);
        var view = await viewer.GetFromJsonAsync("/api/models/det?fleet=acme", FleetApiJsonContext.Default.ApiModelView, Ct);

        Assert.Equal([3, 2], view!.Versions.Select(v => v.Version));
        var v3 = view.Versions[0];
        Assert.Equal(ModelSha("det", 3), v3.Sha256);
        Assert.Equal(["cam-1"], v3.Running.Select(d => d.Device));
        Assert.Equal(["cam-2 overLatencyBudget: p95 410 ms over 40 ms"], v3.RolledBack.Select(d => $"{d.Device} {d.Reasons[0].Reason}: {d.Reasons[0].Message}"));
        Assert.Equal(["cam-3 hashMismatch"], v3.Refused.Select(d => $"{d.Device} {d.Reasons[0].Reason}"));
        Assert.Equal(["cam-4 downloading"], v3.InProgress.Select(d => $"{d.Device} {d.Stage}"));
        Assert.Equal(["cam-2"], view.Versions[1].Running.Select(d => d.Device)); // cam-1 moved on to v3
    }

    [Theory]
    [InlineData("/api/models/nope", HttpStatusCode.NotFound, "no device reported model 'nope'")]
    [InlineData("/api/models/det?fleet=acme&colour=red", HttpStatusCode.BadRequest, "'colour'")]
    [InlineData("/api/models/det?fleet=%01", HttpStatusCode.BadRequest, "'fleet'")]
    [InlineData("/api/models/de+t", HttpStatusCode.BadRequest, "name 'de+t'")]
    [InlineData("/api/models/det/rollouts/canaries?fleet=acme&percent=0", HttpStatusCode.BadRequest, "query parameter 'percent': 0 must be 1-100")]
    [InlineData("/api/models/det/rollouts/canaries?fleet=acme&percent=ten", HttpStatusCode.BadRequest, "query parameter 'percent': 'ten'")]
    [InlineData("/api/models/det/rollouts/canaries?percent=10", HttpStatusCode.BadRequest, "query parameter 'fleet' is required")]
    [InlineData("/api/models/det/rollouts/r0000", HttpStatusCode.NotFound, "no rollout 'r0000' of model 'det'")]
    public async Task BadOrUnknownParameters_AnswerWithTheFieldNamed(string path, HttpStatusCode status, string detail)
    {
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
        using var viewer = Api.Client(ApiUnderTest.ViewerToken);

        Assert.Contains(detail, await ProblemAsync(await viewer.GetAsync(path, Ct), status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_ViewersRead_OnlyOperatorsStartPromoteOrHalt_NoTokenIs401()
    {
        using var anonymous = Api.Client();
        using var viewer = Api.Client(ApiUnderTest.ViewerToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/models/det", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/models/det/rollouts", Ct)).StatusCode);
        foreach (var path in new[] { "/api/models/det/rollouts", "/api/models/det/rollouts/r1/promote", "/api/models/det/rollouts/r1/halt" })
        {
            Assert.Contains("needs operator", await ProblemAsync(await viewer.PostAsync(path, Json("{}"), Ct), HttpStatusCode.Forbidden), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Start_BadRequests_AreRefusedNamingTheField_AndNothingIsRecorded()
    {
        await Catalog.RecordStatusAsync(Status("cam-1", "online"), T0, Ct);
        await Catalog.RecordStatusAsync(Status("cam-2", "online"), T0, Ct);
        var canary = ExpectedCanaries("acme", ["cam-1", "cam-2"], 1)[0];
        var other = canary == "cam-1" ? "cam-2" : "cam-1";
        var good = _envelopes.Envelope(Device(canary));
        var fleet = _envelopes.Envelope(WholeFleet);
        var cases = new (string Body, string Detail)[]
        {
            ("{not json", "the body is not a rollout request"),
            (Body(0, [good]), "field 'canaryPercent': 0 must be 1-100"),
            ("""{"canaryPercent":10,"stages":[]}""", "field 'stages': 1-10 stages are required"),
            ("""{"canaryPercent":10,"stages":[{"envelopes":[]}]}""", "field 'stages[0].envelopes': 1-1000 signed envelopes are required"),
            (Body(10, [fleet]), "field 'stages[0].envelopes[0].payload.target': the canary stage takes device targets only"),
            (Body(10, [good], [_envelopes.Envelope(WholeFleet, version: 4)]), "field 'stages[1].envelopes[0].payload.version': 4 differs from the first envelope's 3"),
            (Body(10, [good], [_envelopes.Envelope(WholeFleet, name: "lane")]), "field 'stages[1].envelopes[0].payload.name': 'lane' is not the rollout's model 'det'"),
            (Body(10, [good], [good]), $"field 'stages[1].envelopes[0].payload.target': device:{canary} is targeted twice"),
            (Body(10, ["""{"keyId":"ab","payload":"%%%","signature":"AA=="}"""]), "field 'stages[0].envelopes[0].payload': not base64"),
            (Body(10, ["""{"keyId":"ab","payload":"e30=","signature":""}"""]), "field 'stages[0].envelopes[0].signature': required"),
            (Body(10, [_envelopes.Envelope(Device(other))]), $"field 'stages[0]': the canaries of 10% of fleet 'acme' are {canary}; no envelope for {canary}; not canaries: {other}"),
        };

        using var op = Api.Client(ApiUnderTest.OperatorToken);
        foreach (var (body, detail) in cases)
        {
            var problem = await ProblemAsync(await op.PostAsync("/api/models/det/rollouts", Json(body), Ct), HttpStatusCode.BadRequest);
            Assert.Contains(detail, problem, StringComparison.Ordinal);
        }

        Assert.Empty(await Catalog.ListRolloutsAsync(null, "det", Ct));
    }

    [Fact]
    public async Task Start_WithoutTheOperatorLink_RecordsThePlan_AndSays503WithWhy()
    {
        await Catalog.RecordStatusAsync(Status("cam-1", "online"), T0, Ct);
        using var op = Api.Client(ApiUnderTest.OperatorToken);

        var problem = await ProblemAsync(
            await op.PostAsync("/api/models/det/rollouts", Json(Body(50, [_envelopes.Envelope(Device("cam-1"))], [_envelopes.Envelope(WholeFleet)])), Ct),
            HttpStatusCode.ServiceUnavailable);

        Assert.Contains("is recorded but not published: the operator link is not configured", problem, StringComparison.Ordinal);
        var rollout = Assert.Single(await op.GetFromJsonAsync("/api/models/det/rollouts", FleetApiJsonContext.Default.IReadOnlyListApiRollout, Ct) ?? []);
        Assert.Equal(("planned", -1, (DateTimeOffset?)null), (rollout.State, rollout.CurrentStage, rollout.Stages[0].PublishedAt));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

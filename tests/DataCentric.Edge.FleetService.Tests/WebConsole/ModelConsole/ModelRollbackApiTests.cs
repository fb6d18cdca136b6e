using System.Net;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Tests.Api;
using static DataCentric.Edge.FleetService.Tests.Catalog.ModelSamples;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole;

/// <summary>
/// <c>POST /api/console/devices/{fleet}/{device}/models/{name}/rollback</c> on real Kestrel over a real LiteDB
/// catalog, without an operator link: roles, JSON-only bodies, each bad input named, unknown devices, a stale
/// confirmation. The device's own answer is driven in <see cref="ModelConsoleBrowserTests"/> and <see cref="ModelRollbackOnBrokerTests"/>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelRollbackApiTests : ApiTestBase
{
    private const string Path = "/api/console/devices/acme/cam-1/models/det/rollback";

    [Fact]
    public async Task Roles_NoTokenIs401_AViewerIs403_NothingIsAsked()
    {
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
        using var anonymous = Api.Client();
        using var viewer = Api.Client(ApiUnderTest.ViewerToken);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(Path, Json("""{"version":2}"""), Ct)).StatusCode);
        Assert.Contains("needs operator", await ProblemAsync(await viewer.PostAsync(Path, Json("""{"version":2}"""), Ct), HttpStatusCode.Forbidden), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormPost_IsRefused_ForgeryNeedsTheBearerTokenAndAJsonBody()
    {
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
        using var anonymous = Api.Client();
        using var op = Api.Client(ApiUnderTest.OperatorToken);
        using var form = new FormUrlEncodedContent([new("version", "2")]);
        using var sameForm = new FormUrlEncodedContent([new("version", "2")]);

        // What another site's form can send: no Authorization header (the token lives in the tab), and a form body.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(Path, form, Ct)).StatusCode);
        Assert.Contains("the body must be JSON (Content-Type: application/json)", await ProblemAsync(await op.PostAsync(Path, sameForm, Ct), HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Path, "{}", "body field 'version': required")]
    [InlineData(Path, """{"version":0}""", "body field 'version': 0 is not a release version")]
    [InlineData(Path, """{"version":"two"}""", "at body field 'version'")]
    [InlineData(Path, "[2]", "the body is not {version}")]
    [InlineData("/api/console/devices/acme/cam+1/models/det/rollback", """{"version":2}""", "path parameter 'device': 'cam+1' is not a valid topic segment")]
    [InlineData("/api/console/devices/ac%23me/cam-1/models/det/rollback", """{"version":2}""", "path parameter 'fleet'")]
    [InlineData("/api/console/devices/acme/cam-1/models/de+t/rollback", """{"version":2}""", "name 'de+t'")]
    [InlineData(Path + "?force=true", """{"version":2}""", "'force'")]
    public async Task BadInput_Is400NamingTheField(string path, string body, string detail)
    {
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
        using var op = Api.Client(ApiUnderTest.OperatorToken);

        Assert.Contains(detail, await ProblemAsync(await op.PostAsync(path, Json(body), Ct), HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeviceOrModelWithNoAck_Is404()
    {
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
        using var op = Api.Client(ApiUnderTest.OperatorToken);

        Assert.Contains("acme/cam-9 has reported no model 'det'",
            await ProblemAsync(await op.PostAsync("/api/console/devices/acme/cam-9/models/det/rollback", Json("""{"version":2}"""), Ct), HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("acme/cam-1 has reported no model 'lane'",
            await ProblemAsync(await op.PostAsync("/api/console/devices/acme/cam-1/models/lane/rollback", Json("""{"version":2}"""), Ct), HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConfirmationOfAVersionTheDeviceNoLongerRuns_Is409_NothingIsAsked()
    {
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 3, ModelReleaseStage.RolledBack, 2, activeVersion: 2, reasons: [("overLatencyBudget", "p95 90 ms")]), Ct);
        using var op = Api.Client(ApiUnderTest.OperatorToken);

        var stale = await ProblemAsync(await op.PostAsync(Path, Json("""{"version":3}"""), Ct), HttpStatusCode.Conflict);

        Assert.Contains("acme/cam-1 runs det v2 now", stale, StringComparison.Ordinal);
        Assert.Contains("not v3: nothing was rolled back", stale, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheOperatorLink_AValidRequestIs503SayingWhy()
    {
        await Catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
        using var op = Api.Client(ApiUnderTest.OperatorToken);

        Assert.Contains("the operator link is not configured", await ProblemAsync(await op.PostAsync(Path, Json("""{"version":2}"""), Ct), HttpStatusCode.ServiceUnavailable), StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.FleetService.WebConsole;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.DependencyInjection;
using static DataCentric.Edge.FleetService.Tests.Api.ApiUnderTest;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.Triggers;

/// <summary>The editor's validation on real Kestrel: the compiler's errors at line:col, against a device's announced signals or a board's.</summary>
public sealed class TriggerEditorApiTests : ApiTestBase, IAsyncDisposable
{
    /// <summary>Line 6 reads a signal the device does not announce ("primary.speeed").</summary>
    public const string SetWithTypo = """
        schemaVersion: 1
        version: 3
        triggers:
          - id: missed_obstacle
            pre: 2s
            when: shadow.obstacle > 0.6 and primary.speeed > 1
            post: 1s
        """;

    private readonly TempDirectory _boards = new("dce-console-boards");

    public TriggerEditorApiTests()
    {
        File.WriteAllText(_boards.Combine("raspberry-pi-5.json"), """[{"name":"shadow.obstacle","kind":"number"},{"name":"primary.speed","kind":"number"}]""");
    }

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["ConsoleTriggers:BoardSignalsDirectory"] = _boards.Path };

    [Fact]
    public async Task Validate_AgainstADevicesAnnouncedSignals_PutsTheUnknownSignalAtItsLineAndColumn()
    {
        Announce("dev-a", "shadow.obstacle:number", "primary.speed:number");
        using var viewer = Api.Client(ViewerToken);

        var answer = await ValidateAsync(viewer, new { source = SetWithTypo, fleet = "fleet1", device = "dev-a" });

        Assert.False(answer.GetProperty("valid").GetBoolean());
        Assert.Equal("device fleet1/dev-a (2 signals it announced)", answer.GetProperty("signalsFrom").GetString());
        var error = Assert.Single(answer.GetProperty("errors").EnumerateArray());
        Assert.Equal(6, error.GetProperty("line").GetInt32());
        Assert.Equal(SetWithTypo.Split('\n')[5].IndexOf("primary.speeed", StringComparison.Ordinal) + 1, error.GetProperty("column").GetInt32());
        Assert.Contains("primary.speeed", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("primary.speed", error.GetProperty("suggestion").GetString());

        var fixedSet = await ValidateAsync(viewer, new { source = SetWithTypo.Replace("speeed", "speed", StringComparison.Ordinal), fleet = "fleet1", device = "dev-a" });
        Assert.True(fixedSet.GetProperty("valid").GetBoolean());
        Assert.Equal(3, fixedSet.GetProperty("version").GetInt32());
        Assert.Equal("missed_obstacle", fixedSet.GetProperty("triggers")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Validate_AgainstABoard_UsesTheSignalsEdgectlWroteForIt()
    {
        using var viewer = Api.Client(ViewerToken);

        var answer = await ValidateAsync(viewer, new { source = SetWithTypo, board = "raspberry-pi-5" });

        Assert.Equal("board raspberry-pi-5 (2 signals)", answer.GetProperty("signalsFrom").GetString());
        Assert.Equal(6, Assert.Single(answer.GetProperty("errors").EnumerateArray()).GetProperty("line").GetInt32());
        var sources = await JsonAsync(await viewer.GetAsync(new Uri("/api/console/triggers/signal-sources", UriKind.Relative), Ct));
        Assert.Equal(["raspberry-pi-5"], sources.GetProperty("boards").EnumerateArray().Select(b => b.GetString()));
    }

    [Fact]
    public async Task Validate_WithoutADevice_CallsUnknownSignalsWarnings_AndStillFindsOtherErrors()
    {
        using var viewer = Api.Client(ViewerToken);

        var answer = await ValidateAsync(viewer, new { source = SetWithTypo });
        var broken = await ValidateAsync(viewer, new { source = "version: 1\ntriggers:\n  - id: a\n    when: shadow.x >\n" });
        var notYaml = await ValidateAsync(viewer, new { source = "version: 1\ntriggers: [\n" });

        Assert.True(answer.GetProperty("valid").GetBoolean());
        Assert.Equal(2, answer.GetProperty("warnings").GetArrayLength());
        Assert.False(broken.GetProperty("valid").GetBoolean());
        Assert.All(broken.GetProperty("errors").EnumerateArray(), e => Assert.True(e.GetProperty("line").GetInt32() >= 1));
        Assert.Contains(broken.GetProperty("errors").EnumerateArray(), e => e.GetProperty("line").GetInt32() == 4);
        Assert.False(notYaml.GetProperty("valid").GetBoolean());
        Assert.True(notYaml.GetProperty("errors")[0].GetProperty("line").GetInt32() >= 2);
    }

    [Theory]
    [InlineData("""{"format":"yaml"}""", "body field 'source': required")]
    [InlineData("""{"source":"version: 1","format":"xml"}""", "body field 'format': 'xml' is not yaml or json")]
    [InlineData("""{"source":"version: 1","device":"dev-a"}""", "body field 'fleet': required with 'device'")]
    [InlineData("""{"source":"version: 1","fleet":"fleet1","device":"dev-z"}""", "body field 'device': fleet1/dev-z has announced no signals")]
    [InlineData("""{"source":"version: 1","board":"raspbery-pi-5"}""", "body field 'board': 'raspbery-pi-5' is not a board of")]
    [InlineData("""{"source":"version: 1","board":"b","device":"d"}""", "body fields 'device' and 'board': give one")]
    [InlineData("""{"source": 5}""", "at body field 'source'")]
    [InlineData("""null""", "the body is JSON null")]
    public async Task Validate_OfABadRequest_Is400NamingTheField(string body, string expected)
    {
        using var viewer = Api.Client(ViewerToken);

        using var response = await viewer.PostAsync("/api/console/triggers/validate", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Contains(expected, await ProblemAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_NamesTheBoardItMeant_WhenOneIsClose()
    {
        using var viewer = Api.Client(ViewerToken);
        using var response = await viewer.PostAsync("/api/console/triggers/validate", new StringContent("""{"source":"version: 1","board":"raspbery-pi-5"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Contains("did you mean 'raspberry-pi-5'?", await ProblemAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StateChanges_AreRefused_ToAFormPostedFromAnotherSite_AndToAViewer()
    {
        // What a forged cross-site form can send: no Authorization header (no cookie is ever issued), a form body.
        using var anonymous = Api.Client();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["keyId"] = "k" });
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/console/triggers/proposals") { Content = form };
        forged.Headers.Add("Origin", "https://evil.example");
        Assert.Contains("no Authorization header", await ProblemAsync(await anonymous.SendAsync(forged, Ct), HttpStatusCode.Unauthorized), StringComparison.Ordinal);

        // Even with an operator's token, a form body is not read.
        using var op = Api.Client(OperatorToken);
        using var formBody = new FormUrlEncodedContent(new Dictionary<string, string> { ["keyId"] = "k" });
        Assert.Contains("the body must be JSON", await ProblemAsync(await op.PostAsync("/api/console/triggers/proposals", formBody, Ct), HttpStatusCode.BadRequest), StringComparison.Ordinal);

        using var viewer = Api.Client(ViewerToken);
        foreach (var path in new[] { "/api/console/triggers/proposals", "/api/console/triggers/proposals/p1/approve", "/api/console/triggers/proposals/p1/reject", "/api/console/devices/fleet1/dev-a/triggers/rollback" })
        {
            using var response = await viewer.PostAsJsonAsync(path, new { }, Ct);
            Assert.Equal($"token 'alice' has role viewer; POST {path} needs operator", await ProblemAsync(response, HttpStatusCode.Forbidden));
        }

        var proposals = await JsonAsync(await viewer.GetAsync(new Uri("/api/console/triggers/proposals", UriKind.Relative), Ct));
        Assert.Equal(0, proposals.GetProperty("items").GetArrayLength());
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        _boards.Dispose();
    }

    private void Announce(string device, params string[] signals) =>
        Api.Services.GetRequiredService<DeviceFeed>().Publish(new DeviceStatus("fleet1", device, "online", null) { Signals = signals, At = DateTimeOffset.UtcNow }, DateTimeOffset.UtcNow);

    private static async Task<JsonElement> ValidateAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/console/triggers/validate", body, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Api;

/// <summary>Bearer tokens and roles, over HTTP.</summary>
[Trait("Category", "Integration")]
public sealed class ApiAccessTests : ApiTestBase
{
    private static readonly object NewPull = new { fleet = "acme", device = "cam-1", windowFrom = T0, windowTo = T0.AddMinutes(1) };

    [Theory]
    [InlineData("/api/clips")]
    [InlineData("/api/clips/c1")]
    [InlineData("/api/clips/c1/file")]
    [InlineData("/api/clips/c1/link")]
    [InlineData("/api/events")]
    [InlineData("/api/devices")]
    [InlineData("/api/triggers/counts?fleet=acme")]
    [InlineData("/api/pulls?fleet=acme")]
    public async Task NoToken_Is401_WithABearerChallenge(string path)
    {
        using var client = Api.Client();

        using var response = await client.GetAsync(path, Ct);

        var detail = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Contains("no Authorization header", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer", "not-a-token-of-ours-at-all")]
    [InlineData("Bearer", ApiUnderTest.ViewerToken + "x")]
    [InlineData("Basic", ApiUnderTest.ViewerToken)]
    public async Task UnknownTokenOrScheme_Is401_AndTheTokenIsNotEchoed(string scheme, string token)
    {
        using var client = Api.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);

        using var response = await client.GetAsync("/api/clips", Ct);

        var detail = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(token, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_Reads_ButPostingAPull_Is403_NamingTheRoles()
    {
        using var viewer = Api.Client(ApiUnderTest.ViewerToken);

        using var read = await viewer.GetAsync("/api/clips", Ct);
        using var post = await viewer.PostAsJsonAsync("/api/pulls", NewPull, Ct);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var detail = await ProblemAsync(post, HttpStatusCode.Forbidden);
        Assert.Equal("token 'alice' has role viewer; POST /api/pulls needs operator", detail);
        Assert.Empty(await Catalog.ListPullsAsync("acme", null, null, Ct));
    }

    [Fact]
    public async Task Operator_PostsAPull_ItIsRequested_ARetryIsHarmless_AndAnotherWindowUnderTheSameIdIs409()
    {
        using var client = Api.Client(ApiUnderTest.OperatorToken);
        var body = new { fleet = "acme", device = "cam-1", windowFrom = T0, windowTo = T0.AddMinutes(1), priority = 3, pullId = "p-1" };

        using var created = await client.PostAsJsonAsync("/api/pulls", body, Ct);
        using var retried = await client.PostAsJsonAsync("/api/pulls", body, Ct);
        using var conflict = await client.PostAsJsonAsync("/api/pulls", new { fleet = "acme", device = "cam-2", windowFrom = T0, windowTo = T0.AddMinutes(1), pullId = "p-1" }, Ct);
        using var listed = await client.GetAsync("/api/pulls?fleet=acme&state=requested", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var pull = await JsonAsync(created);
        Assert.Equal(("p-1", "requested", 3), (pull.GetProperty("pullId").GetString(), pull.GetProperty("state").GetString(), pull.GetProperty("priority").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        await ProblemAsync(conflict, HttpStatusCode.Conflict);
        var list = await JsonAsync(listed);
        Assert.Equal(["p-1"], list.EnumerateArray().Select(p => p.GetProperty("pullId").GetString()));
        Assert.Equal("requested", PullStateName(await Catalog.GetPullAsync("p-1", Ct)));
    }

    [Fact]
    public async Task Operator_PostWithoutAnId_GetsOneMade()
    {
        using var client = Api.Client(ApiUnderTest.OperatorToken);

        using var created = await client.PostAsJsonAsync("/api/pulls", NewPull, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("pullId").GetString()!;
        Assert.StartsWith("pull-", id, StringComparison.Ordinal);
        Assert.NotNull(await Catalog.GetPullAsync(id, Ct));
    }

    [Theory]
    [InlineData("{\"fleet\":\"acme\",\"windowFrom\":\"2026-12-05T10:00:00Z\",\"windowTo\":\"2026-12-05T10:01:00Z\"}", "device")]
    [InlineData("{\"fleet\":\"acme\",\"device\":\"cam-1\",\"windowFrom\":\"2026-12-05T10:00:00Z\",\"windowTo\":\"2026-12-05T09:00:00Z\"}", "windowTo")]
    [InlineData("{\"fleet\":\"acme\",\"device\":\"cam-1\",\"windowFrom\":\"soon\",\"windowTo\":\"2026-12-05T10:01:00Z\"}", "windowFrom")]
    [InlineData("not json", "body")]
    public async Task Operator_BadPullBody_Is400_NamingTheField_AndNothingIsRecorded(string json, string named)
    {
        using var client = Api.Client(ApiUnderTest.OperatorToken);

        using var response = await client.PostAsync("/api/pulls", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        var detail = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(named, detail, StringComparison.Ordinal);
        Assert.Empty(await Catalog.ListPullsAsync("acme", null, null, Ct));
    }

    private static string? PullStateName(FleetService.Catalog.PullRequest? pull) => pull?.State.ToString().ToLowerInvariant();
}

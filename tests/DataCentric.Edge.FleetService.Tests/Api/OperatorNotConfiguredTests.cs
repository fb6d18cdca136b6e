using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace DataCentric.Edge.FleetService.Tests.Api;

/// <summary>Without the Operator section: operator actions answer 503 naming it, and pulls are recorded with a detail that says they were not sent.</summary>
[Trait("Category", "Integration")]
public sealed class OperatorNotConfiguredTests : ApiTestBase
{
    [Fact]
    public async Task Push_WithoutTheOperatorSection_Is503NamingIt()
    {
        using var client = Api.Client(ApiUnderTest.OperatorToken);

        using var pushed = await client.PostAsync("/api/triggers/push", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);

        var detail = await ProblemAsync(pushed, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("add the Operator section with Operator:Broker", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_WithoutTheOperatorSection_IsRecorded_AsNotSent()
    {
        using var client = Api.Client(ApiUnderTest.OperatorToken);
        var t0 = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

        using var created = await client.PostAsJsonAsync("/api/pulls", new { fleet = "acme", device = "cam-1", windowFrom = t0, windowTo = t0.AddMinutes(1), pullId = "p-1" }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var pull = await Catalog.GetPullAsync("p-1", Ct);
        Assert.Equal(FleetService.Catalog.PullState.Requested, pull!.State);
        Assert.StartsWith("not sent: the operator link is not configured: add the Operator section", pull.Detail, StringComparison.Ordinal);
        Assert.Equal(pull.Detail, (await JsonAsync(created)).GetProperty("detail").GetString());
    }
}

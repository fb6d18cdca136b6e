using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.FleetService.WebConsole;
using Microsoft.Extensions.DependencyInjection;
using static DataCentric.Edge.FleetService.Tests.Api.ApiUnderTest;
using static DataCentric.Edge.FleetService.Tests.WebConsole.Triggers.TriggerSamples;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.Triggers;

/// <summary>Uploading a signed set and the approval rules, on real Kestrel without a broker (the publishing itself: <see cref="TriggerPushConsoleTests"/>).</summary>
public sealed class TriggerProposalApiTests : ApiTestBase, IAsyncLifetime
{
    protected override IDictionary<string, string?>? Settings => SecondOperator();

    /// <summary>dev-a announces its signals, so a set for it is checked against them on upload.</summary>
    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Api.Services.GetRequiredService<DeviceFeed>().Publish(new DeviceStatus("fleet1", "dev-a", "online", null) { Signals = DeviceSignals, At = DateTimeOffset.UtcNow }, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Upload_KeepsTheSignedSetPending_WithItsEnvelopeHash()
    {
        using var olga = Api.Client(OperatorToken);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var envelope = Signed(key, Set(7), 7);

        using var response = await olga.PostAsync("/api/console/triggers/proposals", Json(envelope), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var p = await JsonAsync(response);
        Assert.Equal(("pending", 7, "dce/v1/fleet1/dev-a/config/triggers", "olga"), (p.GetProperty("state").GetString(), p.GetProperty("version").GetInt32(), p.GetProperty("topic").GetString(), p.GetProperty("proposedBy").GetString()));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(envelope)), p.GetProperty("envelopeSha256").GetString());
        Assert.Equal(Set(7), p.GetProperty("source").GetString());
        Assert.Equal(20, p.GetProperty("triggers")[0].GetProperty("maxPerHour").GetInt32());
        Assert.Equal(JsonValueKind.Null, p.GetProperty("previousSource").ValueKind);
    }

    [Fact]
    public async Task Approve_ByTheOperatorWhoUploaded_Is403_AndWithAnotherEnvelopesHash_Is400_AndNothingIsDecided()
    {
        using var olga = Api.Client(OperatorToken);
        using var oscar = Api.Client(SecondOperatorToken);
        var id = await ProposeAsync(olga, Set(7), 7);

        using var own = await olga.PostAsJsonAsync($"/api/console/triggers/proposals/{id}/approve", new { envelopeSha256 = await ShaAsync(olga, id) }, Ct);
        using var wrong = await oscar.PostAsJsonAsync($"/api/console/triggers/proposals/{id}/approve", new { envelopeSha256 = new string('0', 64) }, Ct);

        Assert.Contains("a second operator must approve it", await ProblemAsync(own, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Contains("body field 'envelopeSha256'", await ProblemAsync(wrong, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal("pending", await StateAsync(olga, id));
    }

    [Fact]
    public async Task Approve_WithoutTheOperatorSection_Is503NamingIt_AndTheProposalStaysPending()
    {
        using var olga = Api.Client(OperatorToken);
        using var oscar = Api.Client(SecondOperatorToken);
        var id = await ProposeAsync(olga, Set(7), 7);

        using var response = await oscar.PostAsJsonAsync($"/api/console/triggers/proposals/{id}/approve", new { envelopeSha256 = await ShaAsync(olga, id) }, Ct);

        Assert.Contains("Operator", await ProblemAsync(response, HttpStatusCode.ServiceUnavailable), StringComparison.Ordinal);
        Assert.Equal("pending", await StateAsync(olga, id));
    }

    [Fact]
    public async Task Reject_NeedsAReason_ThenTheProposalCannotBeApproved()
    {
        using var olga = Api.Client(OperatorToken);
        using var oscar = Api.Client(SecondOperatorToken);
        var id = await ProposeAsync(olga, Set(7), 7);
        var sha = await ShaAsync(olga, id);

        using var noReason = await oscar.PostAsJsonAsync($"/api/console/triggers/proposals/{id}/reject", new { envelopeSha256 = sha }, Ct);
        using var rejected = await oscar.PostAsJsonAsync($"/api/console/triggers/proposals/{id}/reject", new { envelopeSha256 = sha, reason = "budget too high" }, Ct);
        using var late = await oscar.PostAsJsonAsync($"/api/console/triggers/proposals/{id}/approve", new { envelopeSha256 = sha }, Ct);
        using var unknown = await oscar.PostAsJsonAsync("/api/console/triggers/proposals/nope/approve", new { envelopeSha256 = sha }, Ct);

        Assert.Contains("body field 'reason': required", await ProblemAsync(noReason, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(("rejected", "oscar", "budget too high"), await DecisionAsync(olga, id));
        Assert.Contains("no longer pending", await ProblemAsync(late, HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("no proposal 'nope'", await ProblemAsync(unknown, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_OfASetThatDoesNotCompile_Is400AtLineAndColumn_AndNothingIsKept()
    {
        using var olga = Api.Client(OperatorToken);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var broken = Set(7).Replace("shadow.obstacle > 0.35", "shadow.obstacle >", StringComparison.Ordinal);

        using var response = await olga.PostAsync("/api/console/triggers/proposals", Json(Signed(key, broken, 7)), Ct);
        using var mismatch = await olga.PostAsync("/api/console/triggers/proposals", Json(Signed(key, Set(7), 8)), Ct);
        using var malformed = await olga.PostAsync("/api/console/triggers/proposals", Json("""{"keyId":"k","payload":"%%%","signature":"AAAA"}"""u8.ToArray()), Ct);

        Assert.Matches(@"the signed set does not compile against device fleet1/dev-a: \(5,\d+\)", await ProblemAsync(response, HttpStatusCode.BadRequest));
        Assert.Contains("payload field 'version': 8 differs from the set's own version 7", await ProblemAsync(mismatch, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("envelope field 'payload': not base64", await ProblemAsync(malformed, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(0, (await JsonAsync(await olga.GetAsync(new Uri("/api/console/triggers/proposals", UriKind.Relative), Ct))).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Rollback_WithoutTheOperatorSection_Is503NamingIt()
    {
        using var olga = Api.Client(OperatorToken);
        using var response = await olga.PostAsJsonAsync("/api/console/devices/fleet1/dev-a/triggers/rollback", new { }, Ct);
        Assert.Contains("Operator", await ProblemAsync(response, HttpStatusCode.ServiceUnavailable), StringComparison.Ordinal);
    }

    internal static async Task<string> ProposeAsync(HttpClient client, string source, int version, ECDsa? key = null)
    {
        using var own = key is null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        using var response = await client.PostAsync("/api/console/triggers/proposals", Json(Signed(key ?? own!, source, version)), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetString()!;
    }

    internal static async Task<JsonElement> FindAsync(HttpClient client, string id) =>
        (await JsonAsync(await client.GetAsync(new Uri("/api/console/triggers/proposals", UriKind.Relative), Ct))).GetProperty("items").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);

    internal static async Task<string> ShaAsync(HttpClient client, string id) => (await FindAsync(client, id)).GetProperty("envelopeSha256").GetString()!;

    private static async Task<string> StateAsync(HttpClient client, string id) => (await FindAsync(client, id)).GetProperty("state").GetString()!;

    private static async Task<(string?, string?, string?)> DecisionAsync(HttpClient client, string id)
    {
        var p = await FindAsync(client, id);
        return (p.GetProperty("state").GetString(), p.GetProperty("decidedBy").GetString(), p.GetProperty("detail").GetString());
    }
}

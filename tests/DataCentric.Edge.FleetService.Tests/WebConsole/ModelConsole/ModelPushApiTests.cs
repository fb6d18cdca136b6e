using System.Net;
using System.Security.Cryptography;
using System.Text;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.RemoteConfig;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;
using static DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole.ModelUploads;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole;

/// <summary>
/// <c>POST /api/console/models/proposals</c> and its approval on real Kestrel over a real LiteDB catalog, without an
/// operator link (publishing is driven in <see cref="ModelPushOnBrokerTests"/>): roles, forged requests, each bad
/// upload named and its file gone, the size limit, one pending proposal per model, self-approval, expiry.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelPushApiTests : ApiTestBase, IDisposable
{
    private const string SecondOperatorToken = "second-operator-token-0123456789";
    private static readonly byte[] Model = File.ReadAllBytes(ModelFile);
    private readonly TempDirectory _uploads = new("dce-model-uploads");
    private readonly ECDsa _key = FleetKeys.New();

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Api:Tokens:2:Name"] = "piet",
        ["Api:Tokens:2:Role"] = "operator",
        ["Api:Tokens:2:TokenSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SecondOperatorToken))),
        ["ConsoleModels:UploadDirectory"] = _uploads.Path,
        ["ConsoleModels:MaxModelBytes"] = (Model.Length + 100).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ConsoleModels:ProposalLifetime"] = "01:00:00",
    };

    public void Dispose()
    {
        _key.Dispose();
        _uploads.Dispose();
    }

    [Fact]
    public async Task Roles_NoTokenIs401_AViewerIs403_AndMayList()
    {
        await SeedFleetAsync();
        using var anonymous = Api.Client();
        using var viewer = Api.Client(ApiUnderTest.ViewerToken);

        using (var request = Signed(_key, Model))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(request, Ct)).StatusCode);
        }

        using (var request = Signed(_key, Model))
        {
            Assert.Contains("needs operator", await ProblemAsync(await viewer.SendAsync(request, Ct), HttpStatusCode.Forbidden), StringComparison.Ordinal);
        }

        Assert.Empty((await JsonAsync(await viewer.GetAsync(ProposalsPath, Ct))).GetProperty("items").EnumerateArray());
        Assert.Empty(UploadedFiles(_uploads.Path));
    }

    [Fact]
    public async Task AFormPost_IsRefused_ForgeryNeedsTheBearerTokenAndAnOctetStreamBody()
    {
        await SeedFleetAsync();
        using var anonymous = Api.Client();
        using var op = Api.Client(ApiUnderTest.OperatorToken);
        var envelope = ModelReleaseSigner(Release(Model));

        // What another site's form can send: no Authorization header, and a form content type.
        using (var form = Request(envelope, Model, "multipart/form-data"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(form, Ct)).StatusCode);
        }

        using (var form = Request(envelope, Model, "multipart/form-data"))
        {
            Assert.Contains("Content-Type: application/octet-stream", await ProblemAsync(await op.SendAsync(form, Ct), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }

        Assert.Empty(UploadedFiles(_uploads.Path));
    }

    public static TheoryData<string, string> BadUploads => new()
    {
        { "no-header", "header 'X-Model-Release': required" },
        { "not-base64", "header 'X-Model-Release': not a signed model release envelope" },
        { "not-an-envelope", "not a signed model release envelope: it needs 'keyId', 'payload' and 'signature'" },
        { "a-trigger-set", "payload field 'name': required (is this a trigger set" },
        { "size-mismatch", $"but payload field 'sizeBytes' says {Model.Length + 1}: not the file that was signed" },
        { "hash-mismatch", "but payload field 'sha256' says 00000000" },
        { "wrong-fleet", "payload field 'fleet': no device of fleet 'other' has reported" },
        { "bad-target", "payload field 'target' or 'name': not usable in a topic" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task ABadUpload_Is400NamingTheField_AndLeavesNoFile(string upload, string detail)
    {
        await SeedFleetAsync();
        using var op = Api.Client(ApiUnderTest.OperatorToken);
        var release = Release(Model);
        using var request = upload switch
        {
            "no-header" => new HttpRequestMessage(HttpMethod.Post, ProposalsPath) { Content = new ByteArrayContent(Model) },
            "not-base64" => Raw("not base64 at all!"),
            "not-an-envelope" => Request(Encoding.UTF8.GetBytes("""{"name":"det"}"""), Model),
            "a-trigger-set" => Request(Envelope("""{"contract":"dce/v1","fleet":"acme","target":{"scope":"fleet"},"version":3,"source":"triggers: []"}"""), Model),
            "size-mismatch" => Request(ModelReleaseSigner(release with { SizeBytes = Model.Length + 1 }), Model),
            "hash-mismatch" => Request(ModelReleaseSigner(release with { Sha256 = new string('0', 64) }), Model),
            "wrong-fleet" => Request(ModelReleaseSigner(release with { Fleet = "other" }), Model),
            "bad-target" => Request(ModelReleaseSigner(release with { Target = new(Core.Contracts.TargetScope.Device, "cam+1") }), Model),
            _ => throw new ArgumentOutOfRangeException(nameof(upload)),
        };
        if (upload == "no-header")
        {
            request.Content!.Headers.ContentType = new("application/octet-stream");
        }

        Assert.Contains(detail, await ProblemAsync(await op.SendAsync(request, Ct), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Empty(UploadedFiles(_uploads.Path));
        Assert.Empty((await JsonAsync(await op.GetAsync(ProposalsPath, Ct))).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AFileOverTheLimit_Is413_WithOrWithoutItsLengthDeclared(bool declared)
    {
        await SeedFleetAsync();
        using var op = Api.Client(ApiUnderTest.OperatorToken);
        var big = new byte[Model.Length + 101];
        using var request = Request(ModelReleaseSigner(Release(big)), big);
        if (!declared)
        {
            // A stream of unknown length goes chunked: the limit is enforced while reading.
            var content = new StreamContent(new NonSeekableStream(big));
            content.Headers.ContentType = new("application/octet-stream");
            request.Content = content;
        }

        Assert.Contains($"ConsoleModels:MaxModelBytes is {Model.Length + 100}", await ProblemAsync(await op.SendAsync(request, Ct), HttpStatusCode.RequestEntityTooLarge), StringComparison.Ordinal);
        Assert.Empty(UploadedFiles(_uploads.Path));
    }

    [Fact]
    public async Task AnUpload_IsPendingWithItsManifest_OnePerModel_TheUploaderCannotApproveIt()
    {
        await SeedFleetAsync();
        using var olga = Api.Client(ApiUnderTest.OperatorToken);
        using var piet = Api.Client(SecondOperatorToken);

        using var first = Signed(_key, Model);
        var proposal = await JsonAsync(await Created(await olga.SendAsync(first, Ct)));
        var id = proposal.GetProperty("id").GetString()!;
        Assert.Equal("pending", proposal.GetProperty("state").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Model)), proposal.GetProperty("sha256").GetString());
        Assert.Equal(Model.Length, proposal.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(40, proposal.GetProperty("latencyBudgetMs").GetInt32());
        Assert.Equal("scores", proposal.GetProperty("io").GetProperty("outputs")[0].GetProperty("name").GetString());
        Assert.Equal(Uplink.Models.ModelTopics.FleetRelease("acme", "det"), proposal.GetProperty("topic").GetString());
        Assert.Equal(Model, await File.ReadAllBytesAsync(Assert.Single(UploadedFiles(_uploads.Path)), Ct));

        using var second = Signed(_key, Model, Release(Model, version: 2));
        Assert.Contains($"proposal {id} (det v1 by olga) waits for approval", await ProblemAsync(await piet.SendAsync(second, Ct), HttpStatusCode.Conflict), StringComparison.Ordinal);

        var confirm = Json($$"""{"name":"det","version":1,"sha256":"{{proposal.GetProperty("sha256").GetString()}}"}""");
        Assert.Contains("a second operator must approve it", await ProblemAsync(await olga.PostAsync($"{ProposalsPath}/{id}/approve", confirm, Ct), HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Contains("body field 'version': '2' is not proposal", await ProblemAsync(
            await piet.PostAsync($"{ProposalsPath}/{id}/approve", Json($$"""{"name":"det","version":2,"sha256":"{{proposal.GetProperty("sha256").GetString()}}"}"""), Ct), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("body field 'sha256': required", await ProblemAsync(
            await piet.PostAsync($"{ProposalsPath}/{id}/approve", Json("""{"name":"det","version":1}"""), Ct), HttpStatusCode.BadRequest), StringComparison.Ordinal);

        // Confirmed by the second operator but no operator link: refused, and still pending for when there is one.
        Assert.Contains("operator", await ProblemAsync(await piet.PostAsync($"{ProposalsPath}/{id}/approve", confirm, Ct), HttpStatusCode.ServiceUnavailable), StringComparison.Ordinal);
        Assert.Equal("pending", (await JsonAsync(await piet.GetAsync(ProposalsPath, Ct))).GetProperty("items")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task AnUnknownProposal_Is404()
    {
        using var piet = Api.Client(SecondOperatorToken);

        Assert.Contains("no model proposal 'nope'", await ProblemAsync(await piet.PostAsync($"{ProposalsPath}/nope/approve", Json("""{"name":"det","version":1,"sha256":"x"}"""), Ct), HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("no model proposal 'nope'", await ProblemAsync(await piet.PostAsync($"{ProposalsPath}/nope/reject", Json("""{"reason":"no"}"""), Ct), HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARejectedOrExpiredProposal_LosesItsFile_AndFreesTheModelForTheNextUpload()
    {
        await SeedFleetAsync();
        using var olga = Api.Client(ApiUnderTest.OperatorToken);
        using var piet = Api.Client(SecondOperatorToken);

        using var first = Signed(_key, Model);
        var id = (await JsonAsync(await Created(await olga.SendAsync(first, Ct)))).GetProperty("id").GetString()!;
        Assert.Contains("body field 'reason': required", await ProblemAsync(await piet.PostAsync($"{ProposalsPath}/{id}/reject", Json("{}"), Ct), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        var rejected = await JsonAsync(await piet.PostAsync($"{ProposalsPath}/{id}/reject", Json("""{"reason":"wrong budget"}"""), Ct));
        Assert.Equal("rejected", rejected.GetProperty("state").GetString());
        Assert.Empty(UploadedFiles(_uploads.Path));

        using var second = Signed(_key, Model, Release(Model, version: 2));
        var next = (await JsonAsync(await Created(await olga.SendAsync(second, Ct)))).GetProperty("id").GetString()!;
        Assert.Single(UploadedFiles(_uploads.Path));
        Time.Advance(TimeSpan.FromHours(1));

        var items = (await JsonAsync(await piet.GetAsync(ProposalsPath, Ct))).GetProperty("items");
        Assert.Equal((next, "expired"), (items[0].GetProperty("id").GetString(), items[0].GetProperty("state").GetString()));
        Assert.Empty(UploadedFiles(_uploads.Path));
        Assert.Contains("is expired, no longer pending", await ProblemAsync(await piet.PostAsync($"{ProposalsPath}/{next}/reject", Json("""{"reason":"late"}"""), Ct), HttpStatusCode.Conflict), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Created(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return response;
    }

    private static HttpRequestMessage Raw(string header)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ProposalsPath) { Content = new ByteArrayContent(Model) };
        request.Content!.Headers.ContentType = new("application/octet-stream");
        request.Headers.TryAddWithoutValidation("X-Model-Release", header);
        return request;
    }

    private static byte[] Envelope(string payload) =>
        Encoding.UTF8.GetBytes($$"""{"keyId":"k1","payload":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(payload))}}","signature":"AAAA"}""");

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private byte[] ModelReleaseSigner(Core.Contracts.ModelReleasePayload release) => Uplink.Models.ModelReleaseSigner.Sign(release, _key);

    private Task SeedFleetAsync() => Catalog.RecordStatusAsync(Status("cam-1", "online"), DateTimeOffset.UtcNow, Ct);

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

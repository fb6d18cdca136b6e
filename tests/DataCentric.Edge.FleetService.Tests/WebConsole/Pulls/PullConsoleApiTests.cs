using System.Net;
using System.Text;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.FleetService.Tests.Catalog;
using DataCentric.Edge.FleetService.WebConsole;
using Microsoft.Extensions.DependencyInjection;
using static DataCentric.Edge.FleetService.Tests.Api.ApiUnderTest;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.Pulls;

/// <summary>
/// The pull page's endpoints and the API's cancel on real Kestrel over a real LiteDB catalog (no operator link here:
/// pulls are recorded, not sent, which is all these need). Devices: dev-a online, dev-b offline.
/// </summary>
public sealed class PullConsoleApiTests : ApiTestBase
{
    private const string Fleet = "fleet1";
    private static readonly DateTimeOffset From = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Console:HeartbeatInterval"] = "00:00:05" };

    [Fact]
    public async Task Add_RecordsThePull_AndTheQueueShowsItWithItsDevicesState()
    {
        await DevicesAsync();
        using var op = Api.Client(OperatorToken);

        using var added = await op.PostAsync(Uri("/api/console/pulls"), Body(new { fleet = Fleet, device = "dev-b", from = "2026-12-05T10:00:00Z", to = "2026-12-05T10:01:00Z", priority = 7, pullId = "p-1" }), Ct);

        Assert.Equal(HttpStatusCode.Created, added.StatusCode); // recorded; no operator link to send it
        var queue = await JsonAsync(await op.GetAsync(Uri($"/api/console/pulls?fleet={Fleet}"), Ct));
        var only = Assert.Single(queue.EnumerateArray());
        Assert.Equal(("p-1", "requested", 7, "offline"), (only.GetProperty("pull").GetProperty("pullId").GetString(), only.GetProperty("pull").GetProperty("state").GetString(),
            only.GetProperty("pull").GetProperty("priority").GetInt32(), only.GetProperty("deviceState").GetString()));
        Assert.Equal(From, only.GetProperty("pull").GetProperty("windowFrom").GetDateTimeOffset());
        Assert.Equal(0, only.GetProperty("progress").GetProperty("clipsReceived").GetInt32());
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"device":"dev-a","from":"2026-12-05T10:00:00Z","to":"2026-12-05T10:01:00Z"}""", "body field 'fleet': required" },
        { """{"fleet":"fleet1","from":"2026-12-05T10:00:00Z","to":"2026-12-05T10:01:00Z"}""", "body field 'device': required" },
        { """{"fleet":"fleet1","device":"dev-a","from":"yesterday","to":"2026-12-05T10:01:00Z"}""", "body field 'from': 'yesterday' is not a time" },
        { """{"fleet":"fleet1","device":"dev-a","from":"2026-12-05T10:00:00Z"}""", "body field 'to': required" },
        { """{"fleet":"fleet1","device":"dev-a","from":"2026-12-05T10:01:00Z","to":"2026-12-05T10:00:00Z"}""", "body field 'to': 2026-12-05T10:00:00.0000000+00:00 is not after 'from'" },
        { """{"fleet":"fleet1","device":"dev-a","from":"2026-12-05T10:00:00Z","to":"2026-12-05T11:00:01Z"}""", "body field 'to': the window is 01:00:01 long; a device sends at most 01:00:00" },
        { """{"fleet":"fleet1","device":"dev-a","from":"2026-12-05T10:00:00Z","to":"2026-12-05T10:01:00Z","priority":"high"}""", "the body is not {fleet, device, from, to, priority?, pullId?} at body field 'priority'" },
        { "[1,2]", "the body is not {fleet, device, from, to, priority?, pullId?}" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Add_OfAMalformedWindow_Is400NamingTheField_AndRecordsNothing(string body, string expected)
    {
        await DevicesAsync();
        using var op = Api.Client(OperatorToken);

        using var answer = await op.PostAsync(Uri("/api/console/pulls"), new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Contains(expected, await ProblemAsync(answer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Empty(await Catalog.ListPullsAsync(Fleet, null, null, Ct));
    }

    [Fact]
    public async Task Add_ForAnUnknownDevice_Is404_AByViewer403_AndAFormPost400()
    {
        await DevicesAsync();
        using var op = Api.Client(OperatorToken);
        using var viewer = Api.Client(ViewerToken);
        var window = new { fleet = Fleet, device = "dev-zz", from = "2026-12-05T10:00:00Z", to = "2026-12-05T10:01:00Z" };

        Assert.Equal("no device 'dev-zz' in fleet 'fleet1': it has never reported to this service",
            await ProblemAsync(await op.PostAsync(Uri("/api/console/pulls"), Body(window), Ct), HttpStatusCode.NotFound));
        Assert.Equal("token 'alice' has role viewer; POST /api/console/pulls needs operator",
            await ProblemAsync(await viewer.PostAsync(Uri("/api/console/pulls"), Body(window with { device = "dev-a" }), Ct), HttpStatusCode.Forbidden));
        // A cross-site form cannot send JSON without a preflight, and it carries no bearer token anyway.
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["fleet"] = Fleet, ["device"] = "dev-a" });
        Assert.Contains("the body must be JSON", await ProblemAsync(await op.PostAsync(Uri("/api/console/pulls"), form, Ct), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Empty(await Catalog.ListPullsAsync(Fleet, null, null, Ct));
    }

    [Fact]
    public async Task Cancel_WithdrawsARequestedPull_Idempotently_SayingTheDeviceIsNotTold()
    {
        await Catalog.AddPullAsync(Pull("p-1"), Ct);
        using var op = Api.Client(OperatorToken);

        var first = await JsonAsync(await op.PostAsync(Uri("/api/pulls/p-1/cancel"), Body(new { reason = "wrong window" }), Ct));
        using var again = await op.PostAsync(Uri("/api/pulls/p-1/cancel"), Body(new { }), Ct);

        Assert.Equal("cancelled", first.GetProperty("state").GetString());
        Assert.Equal($"cancelled by olga (wrong window): {PullEndpoints.WithdrawnOnly}", first.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.GetProperty("detail").GetString(), (await JsonAsync(again)).GetProperty("detail").GetString()); // the first cancel's words stay
        Assert.Equal(PullState.Cancelled, (await Catalog.GetPullAsync("p-1", Ct))!.State);
    }

    [Fact]
    public async Task Cancel_OfASentPullWithdrawsIt_ButAFinishedOneIs409_AnUnknownOne404()
    {
        await Catalog.AddPullAsync(Pull("p-sent"), Ct);
        await Catalog.SetPullStateAsync("p-sent", PullState.Sent, "2 clips queued", From, Ct);
        await Catalog.AddPullAsync(Pull("p-done"), Ct);
        await Catalog.SetPullStateAsync("p-done", PullState.Completed, "nothing to upload", From, Ct);
        using var op = Api.Client(OperatorToken);

        Assert.Equal("cancelled", (await JsonAsync(await op.PostAsync(Uri("/api/pulls/p-sent/cancel"), Body(new { }), Ct))).GetProperty("state").GetString());
        Assert.Equal("pull 'p-done' is completed already: there is nothing left to cancel",
            await ProblemAsync(await op.PostAsync(Uri("/api/pulls/p-done/cancel"), Body(new { }), Ct), HttpStatusCode.Conflict));
        Assert.Equal("no pull 'p-none'", await ProblemAsync(await op.PostAsync(Uri("/api/pulls/p-none/cancel"), Body(new { }), Ct), HttpStatusCode.NotFound));
        Assert.Equal((PullState.Completed, "nothing to upload"), ((await Catalog.GetPullAsync("p-done", Ct))!.State, (await Catalog.GetPullAsync("p-done", Ct))!.Detail));
    }

    [Fact]
    public async Task Cancel_ByAViewer_Is403_WithoutJson400_WithAnOverlongReason400_AndChangesNothing()
    {
        await Catalog.AddPullAsync(Pull("p-1"), Ct);
        using var op = Api.Client(OperatorToken);
        using var viewer = Api.Client(ViewerToken);

        Assert.Equal("token 'alice' has role viewer; POST /api/pulls/p-1/cancel needs operator",
            await ProblemAsync(await viewer.PostAsync(Uri("/api/pulls/p-1/cancel"), Body(new { }), Ct), HttpStatusCode.Forbidden));
        Assert.Contains("the body must be JSON", await ProblemAsync(await op.PostAsync(Uri("/api/pulls/p-1/cancel"), new StringContent("{}"), Ct), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal("body field 'reason': at most 500 characters",
            await ProblemAsync(await op.PostAsync(Uri("/api/pulls/p-1/cancel"), Body(new { reason = new string('x', 501) }), Ct), HttpStatusCode.BadRequest));
        Assert.Equal(PullState.Requested, (await Catalog.GetPullAsync("p-1", Ct))!.State);
    }

    [Fact]
    public async Task Queue_ShowsWhatArrivedOfTheWindow_ClipsWhole_AndUploadsChunkByChunk()
    {
        await DevicesAsync();
        await Catalog.AddPullAsync(Pull("p-1") with { WindowFrom = CatalogSamples.T0.AddSeconds(-30), WindowTo = CatalogSamples.T0.AddSeconds(30) }, Ct);
        var received = StagedUploads.Random("clip-whole", 5000, 1024, Fleet, "dev-a");
        await Catalog.AddClipAsync(received.Catalogued(CatalogSamples.T0.AddMinutes(1)), Ct);
        var arriving = StagedUploads.Random("clip-arriving", 3000, 1024, Fleet, "dev-a", seed: 2);
        await Catalog.StageManifestAsync(arriving.Manifest, CatalogSamples.T0, Ct);
        await Catalog.StageChunkAsync(arriving.Chunk(0), CatalogSamples.T0, Ct);
        using var viewer = Api.Client(ViewerToken);

        var progress = (await JsonAsync(await viewer.GetAsync(Uri($"/api/console/pulls?fleet={Fleet}"), Ct)))[0].GetProperty("progress");

        Assert.Equal((1, 5000L), (progress.GetProperty("clipsReceived").GetInt32(), progress.GetProperty("bytesReceived").GetInt64()));
        var upload = Assert.Single(progress.GetProperty("arriving").EnumerateArray());
        Assert.Equal(("clip-arriving", 1, 3, 1024L, 3000L), (upload.GetProperty("clipId").GetString(), upload.GetProperty("chunksReceived").GetInt32(),
            upload.GetProperty("chunkCount").GetInt32(), upload.GetProperty("bytesReceived").GetInt64(), upload.GetProperty("sizeBytes").GetInt64()));
    }

    [Fact]
    public async Task Queue_NeedsAFleet_AndTakesNoUnknownParameter()
    {
        using var viewer = Api.Client(ViewerToken);
        Assert.Equal("query parameter 'fleet' is required", await ProblemAsync(await viewer.GetAsync(Uri("/api/console/pulls"), Ct), HttpStatusCode.BadRequest));
        Assert.Contains("unknown query parameter 'state'", await ProblemAsync(await viewer.GetAsync(Uri($"/api/console/pulls?fleet={Fleet}&state=sent"), Ct), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal("query parameter 'fleet' is required", await ProblemAsync(await viewer.GetAsync(Uri("/api/console/pulls/events?fleet="), Ct), HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Stream_SendsThePullsThere_ThenEachNewOrChangedOne()
    {
        await DevicesAsync();
        await Catalog.AddPullAsync(Pull("p-1"), Ct);
        using var viewer = Api.Client(ViewerToken);
        using var op = Api.Client(OperatorToken);
        using var response = await viewer.GetAsync(Uri($"/api/console/pulls/events?fleet={Fleet}"), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        Assert.Equal(("p-1", "requested"), await NextPullAsync(events));
        await op.PostAsync(Uri("/api/pulls/p-1/cancel"), Body(new { }), Ct);
        Assert.Equal(("p-1", "cancelled"), await NextPullAsync(events));
        await op.PostAsync(Uri("/api/console/pulls"), Body(new { fleet = Fleet, device = "dev-a", from = "2026-12-05T10:00:00Z", to = "2026-12-05T10:01:00Z", pullId = "p-2" }), Ct);
        Assert.Equal(("p-2", "requested"), await NextPullAsync(events));
    }

    [Fact]
    public async Task Devices_CarryTheGroupsTheyAnnounced_AndKeepThemThroughALastWill()
    {
        await DevicesAsync();
        var feed = Api.Services.GetRequiredService<DeviceFeed>();
        feed.Publish(new DeviceStatus(Fleet, "dev-a", "online", null) { Groups = ["night-shift", "depot-3"] }, DateTimeOffset.UtcNow);
        feed.Publish(new DeviceStatus(Fleet, "dev-a", "offline", null), DateTimeOffset.UtcNow); // a Last Will says nothing of groups
        using var viewer = Api.Client(ViewerToken);

        var devices = (await JsonAsync(await viewer.GetAsync(Uri($"/api/console/devices?fleet={Fleet}"), Ct))).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(["night-shift", "depot-3"], devices.Single(d => d.GetProperty("device").GetString() == "dev-a").GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Empty(devices.Single(d => d.GetProperty("device").GetString() == "dev-b").GetProperty("groups").EnumerateArray());
    }

    /// <summary>The next <c>event: pull</c>'s id and state; the stream looks again every poll interval of the test's clock, advanced here.</summary>
    private async Task<(string, string)> NextPullAsync(StreamReader events)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        string? name = null;
        while (true)
        {
            var read = events.ReadLineAsync(deadline.Token).AsTask();
            while (!read.IsCompleted)
            {
                Time.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(read, Task.Delay(20, deadline.Token));
            }

            var line = await read ?? throw new EndOfStreamException("the stream ended");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name == "pull")
            {
                using var data = JsonDocument.Parse(line[6..]);
                var pull = data.RootElement.GetProperty("pull");
                return (pull.GetProperty("pullId").GetString()!, pull.GetProperty("state").GetString()!);
            }
        }
    }

    private async Task DevicesAsync()
    {
        await Catalog.RecordStatusAsync(new DeviceStatus(Fleet, "dev-a", "online", null), DateTimeOffset.UtcNow, Ct);
        await Catalog.RecordStatusAsync(new DeviceStatus(Fleet, "dev-b", "offline", "connection lost"), DateTimeOffset.UtcNow, Ct);
    }

    private static PullRequest Pull(string id) =>
        new(id, Fleet, "dev-a", From, From.AddMinutes(1), 0, PullState.Requested, null, From, From);

    private static Uri Uri(string path) => new(path, UriKind.Relative);

    private static StringContent Body<T>(T body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}

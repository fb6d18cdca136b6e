using System.Net;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.FleetService.WebConsole;
using Microsoft.Extensions.DependencyInjection;
using static DataCentric.Edge.FleetService.Tests.Api.ApiUnderTest;

namespace DataCentric.Edge.FleetService.Tests.WebConsole;

/// <summary>The console's pages and its endpoints on real Kestrel over a real LiteDB catalog and directory object store.</summary>
public sealed class ConsoleApiTests : ApiTestBase
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Console:HeartbeatInterval"] = "00:00:05" };

    [Fact]
    public async Task Session_NamesTheTokenAndItsRole()
    {
        using var viewer = Api.Client(ViewerToken);
        using var op = Api.Client(OperatorToken);
        var v = await JsonAsync(await viewer.GetAsync(new Uri("/api/console/session", UriKind.Relative), Ct));
        var o = await JsonAsync(await op.GetAsync(new Uri("/api/console/session", UriKind.Relative), Ct));
        Assert.Equal(("alice", "viewer"), (v.GetProperty("name").GetString(), v.GetProperty("role").GetString()));
        Assert.Equal(("olga", "operator"), (o.GetProperty("name").GetString(), o.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task Session_WithAnUnknownOrNoToken_Is401SayingWhy()
    {
        using var stranger = Api.Client("not-a-token-of-this-service");
        using var anonymous = Api.Client();
        Assert.Contains("not one of this service's tokens", await ProblemAsync(await stranger.GetAsync(new Uri("/api/console/session", UriKind.Relative), Ct), HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        Assert.Contains("no Authorization header", await ProblemAsync(await anonymous.GetAsync(new Uri("/api/console/session", UriKind.Relative), Ct), HttpStatusCode.Unauthorized), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_AreServedFromTheAssembly_WithUplotFromNpm()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Api.BaseAddress };
        using var root = await anonymous.GetAsync(new Uri("/", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/console/", root.Headers.Location?.OriginalString);
        using var bare = await anonymous.GetAsync(new Uri("/console", UriKind.Relative), Ct);
        Assert.Equal("/console/", bare.Headers.Location?.OriginalString);

        using var index = await anonymous.GetAsync(new Uri("/console/", UriKind.Relative), Ct);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Contains("src=\"app.js\"", await index.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var uplot = await anonymous.GetAsync(new Uri("/console/vendor/uPlot.esm.js", UriKind.Relative), Ct);
        Assert.Equal("text/javascript", uplot.Content.Headers.ContentType?.MediaType);
        Assert.Contains("export { uPlot as default }", await uplot.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri("/console/vendor/uPlot.esm.js", UriKind.Relative));
        again.Headers.IfNoneMatch.Add(uplot.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(again, Ct)).StatusCode);

        Assert.Contains("no file 'nothing.js'", await ProblemAsync(await anonymous.GetAsync(new Uri("/console/nothing.js", UriKind.Relative), Ct), HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Devices_CarryTheirLatestTriggerSetAck_InTheDevicesApiAndTheConsoleFeed()
    {
        var ingest = new StatusObservingIngest(Catalog, Feed);
        var at = DateTimeOffset.UtcNow;
        await ingest.RecordStatusAsync(Status("dev-a", Health(backlog: 1)), at, Ct);
        await ingest.RecordStatusAsync(Status("dev-b", health: null), at, Ct);
        Assert.True(await ingest.RecordTriggerSetAckAsync(
            new TriggerSetAck("fleet1", "dev-a", "dce/v1/fleet1/dev-a/config/triggers", TriggerSetDecision.Rejected, 6, "k1", 4, ["line 3:7: unknown signal 'speeed'"], at),
            Ct));
        using var viewer = Api.Client(ViewerToken);

        foreach (var path in new[] { "/api/devices", "/api/console/devices" })
        {
            var items = (await JsonAsync(await viewer.GetAsync(new Uri(path, UriKind.Relative), Ct))).GetProperty("items");
            var ack = items[0].GetProperty("triggerSetAck");
            Assert.Equal(
                (6, "rejected", "line 3:7: unknown signal 'speeed'", 4),
                (ack.GetProperty("version").GetInt32(), ack.GetProperty("decision").GetString(), ack.GetProperty("reason").GetString(), ack.GetProperty("activeVersion").GetInt32()));
            Assert.Equal(JsonValueKind.Null, items[1].GetProperty("triggerSetAck").ValueKind);
        }
    }

    [Fact]
    public async Task Devices_ArePaged_WithTheHealthTheyReported_AndNullWhereTheyReportedNone()
    {
        var ingest = new StatusObservingIngest(Catalog, Feed);
        var at = DateTimeOffset.UtcNow;
        await ingest.RecordStatusAsync(Status("dev-a", Health(backlog: 7)), at, Ct);
        await ingest.RecordStatusAsync(Status("dev-b", health: null), at, Ct);
        await ingest.RecordStatusAsync(Status("dev-c", Health(backlog: 0)), at, Ct);
        using var viewer = Api.Client(ViewerToken);

        var first = await JsonAsync(await viewer.GetAsync(new Uri("/api/console/devices?limit=2", UriKind.Relative), Ct));
        var items = first.GetProperty("items");
        Assert.Equal(["dev-a", "dev-b"], items.EnumerateArray().Select(d => d.GetProperty("device").GetString()));
        Assert.Equal(7, items[0].GetProperty("health").GetProperty("uploadBacklogClips").GetInt32());
        Assert.Equal("Faulted", items[0].GetProperty("health").GetProperty("faults")[0].GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("health").ValueKind);
        Assert.Equal(4, items[0].GetProperty("triggerSetVersion").GetInt32());

        var next = first.GetProperty("next").GetString()!;
        var second = await JsonAsync(await viewer.GetAsync(new Uri($"/api/console/devices?limit=2&after={Uri.EscapeDataString(next)}", UriKind.Relative), Ct));
        Assert.Equal(["dev-c"], second.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("device").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData("/api/console/devices?limit=many", "query parameter 'limit'")]
    [InlineData("/api/console/devices?limit=0", "query parameter 'limit'")]
    [InlineData("/api/console/devices?after=garbage", "query parameter 'after'")]
    [InlineData("/api/console/devices?group=a", "unknown query parameter 'group'")]
    [InlineData("/api/console/devices/events?x=1", "unknown query parameter 'x'")]
    [InlineData("/api/console/session?x=1", "unknown query parameter 'x'")]
    public async Task BadQueries_Are400_NamingTheParameter(string path, string named)
    {
        using var viewer = Api.Client(ViewerToken);
        Assert.Contains(named, await ProblemAsync(await viewer.GetAsync(new Uri(path, UriKind.Relative), Ct), HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/console/devices")]
    [InlineData("/api/console/devices/events")]
    [InlineData("/api/clips/any/frames")]
    [InlineData("/api/clips/any/frames/0")]
    public async Task ConsoleData_NeedsAToken(string path)
    {
        using var anonymous = Api.Client();
        await ProblemAsync(await anonymous.GetAsync(new Uri(path, UriKind.Relative), Ct), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LiveStream_DeliversAppliedStatuses_HeartbeatsWhenIdle_AndFreesItsSubscriptionWhenTheClientLeaves()
    {
        using var viewer = Api.Client(ViewerToken);
        using var response = await viewer.GetAsync(new Uri("/api/console/devices/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        Assert.Equal(": heartbeat", await reader.ReadLineAsync(Ct));
        Assert.Equal(string.Empty, await reader.ReadLineAsync(Ct));
        await WaitForAsync(() => Feed.SubscriberCount == 1);

        var ingest = new StatusObservingIngest(Catalog, Feed);
        Assert.True(await ingest.RecordStatusAsync(Status("dev-live", Health(backlog: 3)), DateTimeOffset.UtcNow, Ct));
        Assert.Equal("event: device", await reader.ReadLineAsync(Ct));
        var data = await reader.ReadLineAsync(Ct);
        Assert.StartsWith("data: ", data, StringComparison.Ordinal);
        using (var update = JsonDocument.Parse(data!["data: ".Length..]))
        {
            Assert.Equal("dev-live", update.RootElement.GetProperty("device").GetString());
            Assert.Equal(3, update.RootElement.GetProperty("health").GetProperty("uploadBacklogClips").GetInt32());
        }

        Assert.Equal(string.Empty, await reader.ReadLineAsync(Ct));

        // A status the catalog does not apply (received before the one held) never reaches the page.
        Assert.False(await ingest.RecordStatusAsync(Status("dev-live", null), DateTimeOffset.UtcNow.AddHours(-1), Ct));

        // Nothing more happens: the stream's clock (the API's TimeProvider) passes the heartbeat interval.
        // The advance is repeated: the server may not have armed its next wait when the first one lands.
        var heartbeat = reader.ReadLineAsync(Ct).AsTask();
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            while (!heartbeat.IsCompleted)
            {
                Time.Advance(TimeSpan.FromSeconds(5));
                await Task.WhenAny(heartbeat, Task.Delay(50, deadline.Token));
            }
        }

        Assert.Equal(": heartbeat", await heartbeat);

        reader.Dispose();
        response.Dispose();
        await WaitForAsync(() => Feed.SubscriberCount == 0);
    }

    private DeviceFeed Feed => Api.Services.GetRequiredService<DeviceFeed>();

    private static DeviceStatus Status(string device, HealthSummary? health) =>
        new("fleet1", device, "online", null) { TriggerSetVersion = 4, At = DateTimeOffset.UtcNow, Health = health };

    private static HealthSummary Health(int backlog) => new(
        14.5, [new ModelLatency("detector", true, 12.5, 30.1)], 2, backlog, 10_000_000, 5_000_000_000, 9,
        [new ComponentHealth("camera", "/dev/video0", ComponentState.Faulted, "read timed out", DateTimeOffset.UtcNow)]);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}

using System.Text;
using System.Text.Json;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Upload;
using MQTTnet;
using MQTTnet.Protocol;
using static DataCentric.Edge.Uplink.Tests.RemoteConfig.TriggerSets;

namespace DataCentric.Edge.Uplink.Tests.Commands;

/// <summary>Commands over a real broker: edgectl's client asks, the device's session answers.</summary>
[Trait("Category", "Integration")]
public sealed class DeviceCommandsTests : IAsyncLifetime
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);
    private UplinkFixture _f = null!;
    private DeviceCommands _commands = null!;
    private FleetClient _operator = null!;
    private UploadRequests _requests = null!;
    private ActiveTriggerSet _triggerSets = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _f = await UplinkFixture.StartAsync();
        _requests = new UploadRequests();
        _triggerSets = new ActiveTriggerSet(Compiled(1));
        _triggerSets.Activate(Compiled(2));
        _commands = new DeviceCommands(new CommandDependencies(
            _f.Connection, _f.Catalog, _requests, new CommandOptions { MaxRequestBytes = 1024, MaxRequestsPerWindow = 12 }, TimeProvider.System)
        {
            TriggerSets = _triggerSets,
        });
        Assert.True(await _f.Connection.EnsureConnectedAsync(Token));
        _operator = new FleetClient(_f.Options, _f.Endpoint);
        await _operator.ConnectAsync(Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _operator.DisposeAsync();
        await _f.DisposeAsync();
    }

    [Fact]
    public async Task Ping_AnswersWithTheDevice_AndTheCorrelationOfTheRequest()
    {
        var first = SendAsync(new CommandRequest(CommandNames.Ping));
        var second = SendAsync(new CommandRequest(CommandNames.Ping));

        var replies = await Task.WhenAll(first, second);

        Assert.All(replies, r => Assert.True(r.Ok, r.Error));
        var ping = replies[0].Result!.Value.Deserialize<PingResult>(UplinkJson.Options)!;
        Assert.Equal(("fleet1", "dev1"), (ping.Fleet, ping.Device));
    }

    [Fact]
    public async Task ListEvents_FiltersByTriggerAndTime()
    {
        var t0 = DateTimeOffset.UnixEpoch.AddDays(20_000);
        _f.Catalog.AddEvent(new StoredEvent("e1", ["missed-obstacle"], t0, 5, false, 1, null));
        _f.Catalog.AddEvent(new StoredEvent("e2", ["hard-brake"], t0.AddMinutes(1), 3, false, 1, null));
        _f.Catalog.AddEvent(new StoredEvent("e3", ["missed-obstacle"], t0.AddHours(2), 5, false, 1, null));

        var reply = await SendAsync(new CommandRequest(CommandNames.ListEvents) { TriggerId = "missed-obstacle", From = t0.AddMinutes(-1), To = t0.AddHours(1) });

        Assert.True(reply.Ok, reply.Error);
        var events = reply.Result!.Value.Deserialize<List<EventSummary>>(UplinkJson.Options)!;
        Assert.Equal(["e1"], events.Select(e => e.EventId));
    }

    [Fact]
    public async Task PullClip_QueuesItAheadOfItsPolicy_AndResendsAnAcknowledgedOne()
    {
        var stored = _f.Store.Save(TestClips.Clip("wanted", frames: 3, frameBytes: 1000));
        _f.Catalog.UpdateUpload("wanted", UploadState.Acknowledged, 1);

        var reply = await SendAsync(new CommandRequest(CommandNames.PullClip) { ClipId = stored.ClipId });

        Assert.True(reply.Ok, reply.Error);
        Assert.True(_requests.IsRequested("wanted"));
        Assert.Equal((UploadState.Pending, 0), (_f.Catalog.FindClip("wanted")!.UploadState, _f.Catalog.FindClip("wanted")!.ChunksSent));
    }

    [Fact]
    public async Task PullWindow_QueuesTheClipsThatCoverIt_AndSaysWhatIsNotCovered()
    {
        var stored = _f.Store.Save(TestClips.Clip("around", frames: 11, frameBytes: 100));
        var clip = _f.Catalog.FindClip(stored.ClipId)!;
        _f.Catalog.AddEvent(new StoredEvent("ev", ["missed-obstacle"], clip.StartWall.AddMilliseconds(500), 5, false, 1, null, stored.ClipId));

        var reply = await SendAsync(new CommandRequest(CommandNames.PullWindow) { EventId = "ev", BeforeSeconds = 30, AfterSeconds = 10 });

        Assert.True(reply.Ok, reply.Error);
        var window = reply.Result!.Value.Deserialize<PullWindowResult>(UplinkJson.Options)!;
        Assert.Equal(["around"], window.ClipIds);
        Assert.Equal(clip.StartWall.AddMilliseconds(500).AddSeconds(-30), window.Window.From);
        Assert.Equal(2, window.Uncovered.Count);
        Assert.Equal(clip.StartWall, window.Uncovered[0].To);
        Assert.Equal(clip.EndWall, window.Uncovered[1].From);
        Assert.True(_requests.IsRequested("around"));
    }

    [Fact]
    public async Task PullWindow_FromTo_QueuesTheClipsOverlappingIt_AndSaysWhatTheDeviceHolds()
    {
        var start = DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        _f.Store.Save(TestClips.Clip("in-window", frames: 11, frameBytes: 100) with { WallClockStart = start });
        _f.Store.Save(TestClips.Clip("earlier", frames: 11, frameBytes: 100) with { WallClockStart = start.AddHours(-2) });

        var reply = await SendAsync(new CommandRequest(CommandNames.PullWindow) { From = start.AddSeconds(-10), To = start.AddSeconds(10) });

        Assert.True(reply.Ok, reply.Error);
        var window = reply.Result!.Value.Deserialize<PullWindowResult>(UplinkJson.Options)!;
        Assert.Null(window.EventId);
        Assert.Equal(["in-window"], window.ClipIds);
        Assert.Equal([new TimeRange(start.AddSeconds(-10), start), new TimeRange(start.AddSeconds(1), start.AddSeconds(10))], window.Uncovered);
        Assert.Equal(new TimeRange(start.AddHours(-2), start.AddSeconds(1)), window.Holds!.Clips);
        Assert.True(_requests.IsRequested("in-window"));
        Assert.False(_requests.IsRequested("earlier"));
    }

    [Theory]
    [InlineData(UploadState.Pending, "pending")]
    [InlineData(UploadState.Sent, "sent")]
    [InlineData(UploadState.Acknowledged, "acknowledged")]
    [InlineData(UploadState.FileMissing, "fileMissing")]
    public async Task ListClipsAndPullClip_WriteTheUploadStateCamelCase_OnTheWire(UploadState state, string wire)
    {
        _f.Store.Save(TestClips.Clip("stated", frames: 2, frameBytes: 100));
        _f.Catalog.UpdateUpload("stated", state, 0);

        var listed = await SendAsync(new CommandRequest(CommandNames.ListClips));
        var pulled = await SendAsync(new CommandRequest(CommandNames.PullClip) { ClipId = "stated" });

        // The reply's result is the device's bytes as received, not re-serialised here.
        Assert.True(listed.Ok, listed.Error);
        Assert.Contains($"\"uploadState\":\"{wire}\"", listed.Result!.Value.GetRawText(), StringComparison.Ordinal);
        if (state == UploadState.FileMissing)
        {
            Assert.Contains("file is gone", pulled.Error, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(pulled.Ok, pulled.Error);
            Assert.Contains($"\"uploadState\":\"{wire}\"", pulled.Result!.Value.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PinAndUnpin_ChangeOnlyThePin()
    {
        var stored = _f.Store.Save(TestClips.Clip("keep", frames: 2, frameBytes: 100));

        Assert.True((await SendAsync(new CommandRequest(CommandNames.Pin) { ClipId = "keep" })).Ok);
        Assert.True(_f.Catalog.FindClip("keep")!.Pinned);
        Assert.True((await SendAsync(new CommandRequest(CommandNames.Unpin) { ClipId = "keep" })).Ok);

        var after = _f.Catalog.FindClip("keep")!;
        Assert.False(after.Pinned);
        Assert.Equal((stored.Sha256, stored.UploadState), (after.Sha256, after.UploadState));
    }

    [Fact]
    public async Task RollbackTriggers_GoesThroughTheActiveSet()
    {
        var reply = await SendAsync(new CommandRequest(CommandNames.RollbackTriggers));

        Assert.True(reply.Ok, reply.Error);
        Assert.Equal(new RollbackResult(true, 1), reply.Result!.Value.Deserialize<RollbackResult>(UplinkJson.Options));
        Assert.Equal(1, _triggerSets.Version);
    }

    [Theory]
    [InlineData("oversized", "the limit is 1024")]
    [InlineData("not-json", "not valid JSON")]
    [InlineData("no-command", "has no 'command'")]
    [InlineData("unknown", "unknown command 'selfDestruct'")]
    [InlineData("no-clip-id", "'clipId' is required")]
    [InlineData("missing-clip", "no clip 'nope' on this device")]
    [InlineData("missing-event", "no event 'nope' on this device")]
    [InlineData("bad-window", "at most 3600")]
    [InlineData("from-after-to", "'from' (2026-12-01T10:00:00.000Z) must be before 'to' (2026-12-01T09:00:00.000Z)")]
    [InlineData("window-too-long", "the window is 01:00:01 long; at most 01:00:00 may be asked for at once")]
    [InlineData("from-only", "'to' is required with 'from'")]
    [InlineData("future-window", "in the future (device time ")]
    [InlineData("event-and-from", "give 'eventId' or 'from' and 'to', not both")]
    [InlineData("no-window", "'eventId', or 'from' and 'to', is required")]
    [InlineData("bad-timestamp", "Path: $.from")]
    [InlineData("gone-window", "nothing of 2020-01-01T00:00:00.000Z to 2020-01-01T00:10:00.000Z is left on this device: it holds no stored clips")]
    public async Task BadRequests_GetAnErrorReply_AndTheDeviceKeepsAnswering(string kind, string error)
    {
        var payload = kind switch
        {
            "oversized" => Encoding.UTF8.GetBytes($$"""{"command":"ping","clipId":"{{new string('x', 2000)}}"}"""),
            "not-json" => Encoding.UTF8.GetBytes("{\"command\": "),
            "no-command" => Encoding.UTF8.GetBytes("{}"),
            "unknown" => Encoding.UTF8.GetBytes("""{"command":"selfDestruct"}"""),
            "no-clip-id" => Encoding.UTF8.GetBytes("""{"command":"pullClip"}"""),
            "missing-clip" => Encoding.UTF8.GetBytes("""{"command":"pin","clipId":"nope"}"""),
            "missing-event" => Encoding.UTF8.GetBytes("""{"command":"pullWindow","eventId":"nope"}"""),
            "bad-window" => Encoding.UTF8.GetBytes("""{"command":"pullWindow","eventId":"e","beforeSeconds":-1}"""),
            "from-after-to" => Encoding.UTF8.GetBytes("""{"command":"pullWindow","from":"2026-12-01T10:00:00Z","to":"2026-12-01T09:00:00Z"}"""),
            "window-too-long" => Encoding.UTF8.GetBytes("""{"command":"pullWindow","from":"2026-12-01T10:00:00Z","to":"2026-12-01T11:00:01Z"}"""),
            "from-only" => Encoding.UTF8.GetBytes("""{"command":"pullWindow","from":"2026-12-01T10:00:00Z"}"""),
            "future-window" => Encoding.UTF8.GetBytes("""{"command":"pullWindow","from":"2999-12-01T10:00:00Z","to":"2999-12-01T10:10:00Z"}"""),
            "event-and-from" => Encoding.UTF8.GetBytes("""{"command":"pullWindow","eventId":"e","from":"2026-12-01T10:00:00Z","to":"2026-12-01T10:10:00Z"}"""),
            "no-window" => Encoding.UTF8.GetBytes("""{"command":"pullWindow"}"""),
            "bad-timestamp" => Encoding.UTF8.GetBytes("""{"command":"pullWindow","from":"yesterday","to":"2026-12-01T10:10:00Z"}"""),
            "gone-window" => Encoding.UTF8.GetBytes("""{"command":"pullWindow","from":"2020-01-01T00:00:00Z","to":"2020-01-01T00:10:00Z"}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var reply = await _operator.SendRawAsync("fleet1", "dev1", payload, AnswerTimeout, Token);

        Assert.False(reply.Ok);
        Assert.Contains(error, reply.Error, StringComparison.Ordinal);
        Assert.True((await SendAsync(new CommandRequest(CommandNames.Ping))).Ok);
    }

    [Fact]
    public async Task Requests_BeyondTheRate_AreRefusedWithAReply()
    {
        var replies = new List<CommandReply>();
        for (var i = 0; i < 13; i++)
        {
            replies.Add(await SendAsync(new CommandRequest(CommandNames.Ping)));
        }

        Assert.All(replies.Take(12), r => Assert.True(r.Ok, r.Error));
        Assert.Contains("rate limited", replies[12].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestWithoutAResponseTopicUnderTheDevice_IsDropped_NotAnsweredElsewhere()
    {
        var dropped = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _commands.Dropped += r => dropped.TrySetResult(r);
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _f.Endpoint.Port).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build(), Token);

        await client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(_f.Topics.CommandRequests).WithPayload("""{"command":"ping"}""")
                .WithResponseTopic("dce/v1/fleet1/dev2/status").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            Token);

        Assert.Contains("without a response topic under dce/v1/fleet1/dev1/commands/reply/", await dropped.Task.WaitAsync(AnswerTimeout, Token), StringComparison.Ordinal);
        Assert.True((await SendAsync(new CommandRequest(CommandNames.Ping))).Ok);
    }

    private Task<CommandReply> SendAsync(CommandRequest request) => _operator.SendAsync("fleet1", "dev1", request, AnswerTimeout, Token);
}

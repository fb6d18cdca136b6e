using System.Text.Json;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Cli.Tests;

/// <summary>edgectl against a broker and a device's fleet link, end to end.</summary>
[Trait("Category", "Integration")]
public sealed class FleetCommandsTests
{
    [Fact]
    public async Task KeysValidateSignPush_TheDeviceRunsTheSet_AndStatusShowsItsAck()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        var set = fleet.WriteSet(2);
        var envelope = fleet.Dir.Combine("v2.envelope.json");

        var validate = await Edgectl.RunAsync("triggers", "validate", set, "--signal", "shadow.obstacle:number", "--signal", "primary.brake:bool");
        var sign = await Edgectl.RunAsync("triggers", "sign", set, "--key", fleet.KeyPrefix + ".key", "--target", "device:d1", "--fleet", "f1", "--out", envelope,
            "--signal", "shadow.obstacle:number", "--signal", "primary.brake:bool");
        var push = await Edgectl.RunAsync(["triggers", "push", envelope, .. fleet.Common]);

        Assert.True(validate.Exit == 0, validate.Error);
        Assert.Contains("valid, version 2, 1 triggers", validate.Output, StringComparison.Ordinal);
        Assert.True(sign.Exit == 0, sign.Error);
        Assert.True(push.Exit == 0, push.Error + push.Output);
        Assert.Matches(@"d1\s+accepted\s+2\s+2", push.Output);
        Assert.Equal(2, fleet.Active.Current.Version);

        var status = await Edgectl.RunAsync(["triggers", "status", "--json", .. fleet.Common]);
        using var acks = JsonDocument.Parse(status.Output);
        Assert.Equal("accepted", acks.RootElement[0].GetProperty("decision").GetString());

        var devices = await Edgectl.RunAsync(["devices", "--json", .. fleet.Common]);
        using var listed = JsonDocument.Parse(devices.Output);
        var device = Assert.Single(listed.RootElement.EnumerateArray());
        Assert.Equal(("d1", "online", 2), (device.GetProperty("device").GetString(), device.GetProperty("state").GetString(), device.GetProperty("triggerSetVersion").GetInt32()));
    }

    [Fact]
    public async Task Rollback_PutsTheDeviceBackOnThePreviousSet()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        var envelope = fleet.Dir.Combine("v5.envelope.json");
        await Edgectl.RunAsync("triggers", "sign", fleet.WriteSet(5), "--key", fleet.KeyPrefix + ".key", "--target", "fleet", "--fleet", "f1", "--out", envelope);
        Assert.Equal(0, (await Edgectl.RunAsync(["triggers", "push", envelope, "--expect", "1", .. fleet.Common])).Exit);

        var rollback = await Edgectl.RunAsync(["triggers", "rollback", "--device", "d1", .. fleet.Common]);
        var again = await Edgectl.RunAsync(["triggers", "rollback", "--device", "d1", .. fleet.Common]);

        Assert.True(rollback.Exit == 0, rollback.Error);
        Assert.Contains("d1: rolled back, trigger set 1 active", rollback.Output, StringComparison.Ordinal);
        Assert.Equal(1, fleet.Active.Current.Version);
        Assert.Equal(1, again.Exit);
        Assert.Contains("d1: no previous set; trigger set 1 stays active", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushingAnOlderSet_FailsWithTheDevicesReason_AndTheActiveSetStays()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        var envelope = fleet.Dir.Combine("v0.envelope.json");
        await Edgectl.RunAsync("triggers", "sign", fleet.WriteSet(0), "--key", fleet.KeyPrefix + ".key", "--target", "group:g1", "--fleet", "f1", "--out", envelope);

        var push = await Edgectl.RunAsync(["triggers", "push", envelope, "--expect", "1", .. fleet.Common]);

        Assert.Equal(1, push.Exit);
        Assert.Contains("rejected", push.Output, StringComparison.Ordinal);
        Assert.Contains("version 0 is not higher than the active version 1", push.Output, StringComparison.Ordinal);
        Assert.Equal(1, fleet.Active.Current.Version);
    }

    [Fact]
    public async Task Validate_AgainstTheSignalsADeviceAnnounces()
    {
        await using var fleet = await FleetUnderTest.StartAsync();

        var good = await Edgectl.RunAsync(["triggers", "validate", fleet.WriteSet(7), "--device", "d1", .. fleet.Common]);
        var bad = await Edgectl.RunAsync(["triggers", "validate", fleet.WriteSet(8, FleetUnderTest.SetSource(8).Replace("primary.brake", "primary.steer", StringComparison.Ordinal)),
            "--device", "d1", .. fleet.Common]);

        Assert.True(good.Exit == 0, good.Error);
        Assert.Equal(EdgectlApp.UsageError, bad.Exit);
        Assert.Contains("primary.steer", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AnInvalidSet_PrintsEveryErrorWithItsPosition_AndExits2()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("bad.yaml");
        await File.WriteAllTextAsync(path, FleetUnderTest.SetSource(3).Replace("shadow.obstacle >", "shadow.obstacel >", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var (exit, _, error) = await Edgectl.RunAsync("triggers", "validate", path, "--signal", "shadow.obstacle:number", "--signal", "primary.brake:bool");

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Matches(@"bad\.yaml\(\d+,\d+\) trigger 'missed-obstacle' when", error);
        Assert.Contains("did you mean 'shadow.obstacle'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsListAndClipsLs_ShowTheDevicesCatalog()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        var stored = fleet.Store.Save(TestClips.Clip("c-listed", frames: 3, frameBytes: 100));
        fleet.Catalog.AddEvent(new StoredEvent("e-listed", ["missed-obstacle"], stored.StartWall, 5, false, 1, null, stored.ClipId));

        var events = await Edgectl.RunAsync(["events", "list", "--device", "d1", "--trigger", "missed-obstacle", .. fleet.Common]);
        var clips = await Edgectl.RunAsync(["clips", "ls", "--device", "d1", "--json", .. fleet.Common]);

        Assert.True(events.Exit == 0, events.Error);
        Assert.Matches(@"e-listed\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+missed-obstacle\s+5\s+1\s+c-listed", events.Output);
        using var list = JsonDocument.Parse(clips.Output);
        Assert.Equal("c-listed", Assert.Single(list.RootElement.EnumerateArray()).GetProperty("clipId").GetString());
    }

    [Fact]
    public async Task ClipsPull_AsksForAnOnRequestClip_AndReceivesItIntact_WithProgress()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        var stored = fleet.Store.Save(TestClips.Clip("c-pulled", frames: 8, frameBytes: 10_000));
        var outDir = fleet.Dir.Combine("pulled");

        // Not uploaded on its own: its trigger's policy is onRequest.
        Assert.Equal(UploadState.Pending, fleet.Catalog.FindClip("c-pulled")!.UploadState);
        var pull = await Edgectl.RunAsync(["clips", "pull", "c-pulled", "--device", "d1", "--out", outDir, .. fleet.Common]);

        Assert.True(pull.Exit == 0, pull.Error);
        Assert.Contains("c-pulled: [", pull.Error, StringComparison.Ordinal);
        var path = Directory.EnumerateFiles(outDir, "c-pulled.raw", SearchOption.AllDirectories).Single();
        Assert.Equal(stored.Sha256, ClipFileStore.HashFile(path));
        Assert.Contains(path, pull.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClipsPull_AroundAnEvent_ReceivesTheCoveringClip_AndSaysWhatIsNotCovered()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        var stored = fleet.Store.Save(TestClips.Clip("c-window", frames: 5, frameBytes: 5_000));
        fleet.Catalog.AddEvent(new StoredEvent("e-window", ["missed-obstacle"], stored.StartWall.AddMilliseconds(200), 5, false, 1, null, stored.ClipId));

        var pull = await Edgectl.RunAsync(["clips", "pull", "--event", "e-window", "--before", "5", "--after", "5", "--device", "d1", "--json",
            "--out", fleet.Dir.Combine("pulled"), .. fleet.Common]);

        Assert.True(pull.Exit == 0, pull.Error);
        Assert.Contains("no stored clip covers", pull.Error, StringComparison.Ordinal);
        using var pulled = JsonDocument.Parse(pull.Output);
        Assert.Equal("c-window", Assert.Single(pulled.RootElement.EnumerateArray()).GetProperty("clipId").GetString());
    }

    [Fact]
    public async Task KeysNew_RefusesToOverwriteAKey()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Edgectl.RunAsync("keys", "new", "--out", dir.Combine("k"))).Exit);

        var again = await Edgectl.RunAsync("keys", "new", "--out", dir.Combine("k"));

        Assert.Equal(EdgectlApp.UsageError, again.Exit);
        Assert.Contains("not overwriting a key", again.Error, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.Combine("k.key")));
        }
    }

    [Fact]
    public async Task ACommandToADeviceThatNeverConnected_FailsAtOnce_NamingIt()
    {
        await using var fleet = await FleetUnderTest.StartAsync();

        // Ten minutes to wait: only the broker's "nobody subscribed" can end this within the test.
        var ping = await Edgectl.RunAsync("devices", "ping", "nobody", "--broker", fleet.BrokerArgument, "--fleet", "f1", "--timeout", "00:10:00")
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(1, ping.Exit);
        Assert.Contains("f1/nobody is not listening for commands", ping.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommandToAnOfflineDevice_TimesOutWithAClearMessage()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        var endpoint = new BrokerEndpoint("127.0.0.1", fleet.Port);
        await using (var gone = new DeviceConnection(new UplinkOptions(), endpoint, new FleetTopics("f1", "d2")))
        {
            _ = new DeviceCommands(new CommandDependencies(gone, fleet.Catalog, new UploadRequests(), new CommandOptions(), TimeProvider.System));
            Assert.True(await gone.EnsureConnectedAsync(TestContext.Current.CancellationToken));
        }

        // Its session stays on the broker, which holds the request for it: the wait is the only answer.
        var ping = await Edgectl.RunAsync("devices", "ping", "d2", "--broker", fleet.BrokerArgument, "--fleet", "f1", "--timeout", "00:00:00.5");

        Assert.Equal(1, ping.Exit);
        Assert.Contains("no answer from f1/d2 to 'ping' within 0.5 s (offline?)", ping.Error, StringComparison.Ordinal);
    }
}

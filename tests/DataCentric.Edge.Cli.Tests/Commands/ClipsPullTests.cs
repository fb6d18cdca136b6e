using System.Text.Json;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.TestKit.Processes;

namespace DataCentric.Edge.Cli.Tests.Commands;

/// <summary>
/// <c>edgectl clips pull</c> against mosquitto and a device's real uplink (catalog, upload loop,
/// command handlers): the defects reported from the field, each reproduced first.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClipsPullTests
{
    /// <summary>The fleet's own timing: a clip is sent again only after ten minutes without a receiver's ack.</summary>
    private static UplinkOptions FleetTiming() => new()
    {
        ChunkBytes = 16 * 1024,
        NoReceiverRetry = TimeSpan.FromMilliseconds(100),
        MaxNoReceiverRetry = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task Pull_OfAClipAnEarlierUploadLeftHalfSent_ReceivesItWhole_AndSaysWhatItWaitsFor()
    {
        await using var fleet = await FleetUnderTest.StartOnMosquittoAsync(FleetTiming());
        var stored = fleet.Store.Save(TestClips.Clip("c-half", frames: 8, frameBytes: 10_000));

        // An earlier upload went out to the fleet's receiver up to chunk 3, then the link dropped: the catalog says so.
        fleet.Catalog.UpdateUpload("c-half", UploadState.Pending, 3);
        var outDir = fleet.Dir.Combine("pulled");
        var pull = await Edgectl.RunAsync(["clips", "pull", "c-half", "--device", "d1", "--out", outDir, "--wait", "00:00:20", .. fleet.Common]);

        Assert.True(pull.Exit == 0, pull.Error);
        Assert.Contains("waiting up to 00:00:20 for 1 stored clip(s) (c-half) from d1", pull.Error, StringComparison.Ordinal);
        Assert.Equal(stored.Sha256, ClipFileStore.HashFile(Directory.EnumerateFiles(outDir, "c-half.raw", SearchOption.AllDirectories).Single()));
    }

    [Fact]
    public async Task Pull_WhileTheClipIsGoingUp_GetsItWhole()
    {
        // A slow link (100 KiB/s), so the pull lands in the middle of the upload.
        var timing = FleetTiming();
        timing.MaxBytesPerSecond = 100 * 1024;
        await using var fleet = await FleetUnderTest.StartOnMosquittoAsync(timing);
        var fleetReceiver = await FleetReceiverAsync(fleet);

        // The clip uploads on its own (its trigger is not in the set: immediate); the pull comes while it goes up.
        var stored = fleet.Store.Save(Clip("c-busy", "other", priority: 1, frames: 40));
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fleetReceiver.ChunkReceived += (_, _, clip, index, _) =>
        {
            if (clip == "c-busy" && index >= 1)
            {
                sent.TrySetResult();
            }
        };
        fleet.Loop.Wake();
        await sent.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        var outDir = fleet.Dir.Combine("pulled");
        var pull = await Edgectl.RunAsync(["clips", "pull", "c-busy", "--device", "d1", "--out", outDir, "--wait", "00:00:20", .. fleet.Common]);

        Assert.True(pull.Exit == 0, pull.Error);
        Assert.Equal(stored.Sha256, ClipFileStore.HashFile(Directory.EnumerateFiles(outDir, "c-busy.raw", SearchOption.AllDirectories).Single()));
        await fleetReceiver.DisposeAsync();
    }

    [Fact]
    public async Task Pull_OfClipsAlreadyInOut_CountsThemAsArrived_AndListsThem()
    {
        await using var fleet = await FleetUnderTest.StartOnMosquittoAsync(FleetTiming());
        var stored = fleet.Store.Save(TestClips.Clip("c-again", frames: 4, frameBytes: 5_000));
        fleet.Catalog.AddEvent(new StoredEvent("e-again", ["missed-obstacle"], stored.StartWall.AddMilliseconds(100), 5, false, 1, null, stored.ClipId));
        var outDir = fleet.Dir.Combine("pulled");
        var first = await Edgectl.RunAsync(["clips", "pull", "c-again", "--device", "d1", "--out", outDir, .. fleet.Common]);
        Assert.True(first.Exit == 0, first.Error);

        // Asked again into the same folder: the receiver already holds it and acknowledges it without a rewrite.
        var again = await Edgectl.RunAsync(["clips", "pull", "--event", "e-again", "--device", "d1", "--out", outDir, "--wait", "00:00:20", "--json", .. fleet.Common]);

        Assert.True(again.Exit == 0, again.Error);
        using var rows = JsonDocument.Parse(again.Output);
        var row = Assert.Single(rows.RootElement.EnumerateArray());
        Assert.Equal(("c-again", "stored"), (row.GetProperty("clipId").GetString(), row.GetProperty("source").GetString()));
        Assert.Equal(stored.Sha256, ClipFileStore.HashFile(row.GetProperty("path").GetString()!));
    }

    [Fact]
    public async Task Pull_AroundAnEvent_WhileTheDeviceUploadsOtherClips_LandsOnlyTheRequestedClipInOut()
    {
        await using var fleet = await FleetUnderTest.StartOnMosquittoAsync(FleetTiming());

        // Three clips of another trigger, an hour later, wait for any receiver, ahead of the requested one (higher priority).
        for (var i = 0; i < 3; i++)
        {
            fleet.Store.Save(Clip($"c-other-{i}", "other", priority: 9, frames: 3) with { WallClockStart = DateTimeOffset.UnixEpoch.AddHours(1 + i) });
        }

        var wanted = fleet.Store.Save(TestClips.Clip("c-wanted", frames: 4, frameBytes: 5_000));
        fleet.Catalog.AddEvent(new StoredEvent("e-wanted", ["missed-obstacle"], wanted.StartWall.AddMilliseconds(100), 5, false, 1, null, wanted.ClipId));
        var outDir = fleet.Dir.Combine("pulled");

        var pull = await Edgectl.RunAsync(["clips", "pull", "--event", "e-wanted", "--before", "1", "--after", "1", "--device", "d1", "--out", outDir, "--wait", "00:00:20", .. fleet.Common]);

        Assert.True(pull.Exit == 0, pull.Error);
        var files = Directory.EnumerateFiles(outDir, "*.raw", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Equal(["c-wanted.raw"], files);

        // The others were offered to edgectl's receiver while it listened, and left alone: still owed to the fleet.
        Assert.All(Enumerable.Range(0, 3), i => Assert.NotEqual(UploadState.Acknowledged, fleet.Catalog.FindClip($"c-other-{i}")!.UploadState));
        Assert.True(fleet.Catalog.FindClip("c-other-0")!.UploadState == UploadState.Sent, "the first other clip went up while edgectl listened");
    }

    [Fact]
    public async Task Progress_WhenTheOutputIsNotATerminal_IsPlainLines_AtMostOnePerTenth()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        fleet.Store.Save(TestClips.Clip("c-lines", frames: 40, frameBytes: 10_000));

        var pull = await Edgectl.RunAsync(["clips", "pull", "c-lines", "--device", "d1", "--out", fleet.Dir.Combine("pulled"), .. fleet.Common]);

        Assert.True(pull.Exit == 0, pull.Error);
        Assert.DoesNotContain('\r', pull.Error);
        var lines = pull.Error.Split('\n').Where(l => l.StartsWith("c-lines: [", StringComparison.Ordinal)).ToList();
        Assert.InRange(lines.Count, 2, 11);
        Assert.EndsWith("25/25 chunks", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_OfTheRealProcess_WithItsOutputInAFile_HasNoCarriageReturns()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        fleet.Store.Save(TestClips.Clip("c-logged", frames: 40, frameBytes: 10_000));
        var (exit, output, error) = await DotnetApp.RunAsync(
            "edgectl.dll", ["clips", "pull", "c-logged", "--device", "d1", "--out", fleet.Dir.Combine("pulled"), .. fleet.Common], new Dictionary<string, string?>(),
            TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(exit == 0, error);
        Assert.DoesNotContain('\r', error);
        Assert.Contains("c-logged: [##############################] 25/25 chunks\n", error, StringComparison.Ordinal);
        Assert.Contains("c-logged", output, StringComparison.Ordinal);
    }

    private static ClipContent Clip(string clipId, string triggerId, int priority, int frames) =>
        TestClips.Clip(clipId, frames, frameBytes: 10_000, priority) with
        {
            Events = [TestClips.Event(triggerId, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), priority)],
        };

    /// <summary>The fleet's own receiver, which acknowledges what it gets (as dce-fleet does).</summary>
    private static async Task<ClipReceiver> FleetReceiverAsync(FleetUnderTest fleet)
    {
        var receiver = new ClipReceiver(
            new ReceiverOptions { OutputDirectory = fleet.Dir.Combine("fleet"), ClientId = "fleet-receiver" },
            new UplinkOptions { Port = fleet.Port },
            new BrokerEndpoint("127.0.0.1", fleet.Port));
        Assert.True(await receiver.EnsureConnectedAsync(TestContext.Current.CancellationToken));
        return receiver;
    }
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Camera;
using DataCentric.Edge.Device.Tests.Sources.Sensors;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Device.Tests.Sources.Camera;

[Trait("Category", "Unit")]
public sealed class RecordingReplayTests
{
    private static string WriteClip(TempDirectory dir)
    {
        var start = TimeSpan.FromSeconds(100);
        var frames = Enumerable.Range(0, 5).Select(i => TestClips.Frame(i, start + TimeSpan.FromMilliseconds(i * 100))).ToList();
        var signals = new List<SignalUpdate>
        {
            new(new SignalId(0), "primary.brake", new SignalSample(SignalValue.FromBool(true), start + TimeSpan.FromMilliseconds(150))),
            new(new SignalId(1), "shadow.obstacle", new SignalSample(SignalValue.FromNumber(0.9), start + TimeSpan.FromMilliseconds(160))),
        };
        var clip = new ClipContent("clip-1", start, start + TimeSpan.FromMilliseconds(400), DateTimeOffset.UnixEpoch, frames, signals,
            [TestClips.Event("t", start, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1))], new Dictionary<string, string>());
        var path = dir.Combine("clip.mcap");
        using (var file = File.Create(path))
        {
            new McapClipWriter().Write(clip, file);
        }

        return path;
    }

    [Fact]
    public async Task RecordedClip_IsReplayedInRealTime_FramesAndControllerSignalsOnOneTimeLine()
    {
        using var dir = new TempDirectory("dce-replay");
        var rig = new SourceRig();
        var replay = new RecordingReplay(new CameraSourceOptions { Kind = FrameSourceKind.Recording, Path = WriteClip(dir) });
        var frames = new RecordingFrameSource(replay, rig.Clock);
        var signals = new RecordingSignalSource(replay, rig.Clock);
        signals.Register(rig.Bus);
        Assert.True(rig.Bus.TryGetId("primary.brake", out _));
        Assert.False(rig.Bus.TryGetId("shadow.obstacle", out _), "model outputs are recomputed live, not replayed");

        rig.Time.Advance(TimeSpan.FromSeconds(7));
        var t0 = rig.Clock.Now;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var publishing = signals.RunAsync(rig.Bus, stop.Token);
        await using var reader = frames.ReadFramesAsync(stop.Token).GetAsyncEnumerator(stop.Token);

        Assert.True(await reader.MoveNextAsync());
        Assert.Equal(t0, reader.Current.Time);
        var second = reader.MoveNextAsync().AsTask();
        Assert.False(second.IsCompleted, "real-time pacing must wait for the second frame");
        rig.Time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(await second.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.Equal(t0 + TimeSpan.FromMilliseconds(100), reader.Current.Time);
        Assert.Equal(1, reader.Current.Sequence);

        rig.Time.Advance(TimeSpan.FromMilliseconds(60));
        await SourceRig.UntilAsync(() => rig.HasSample("primary.brake"), "the replayed brake decision");
        Assert.Equal(t0 + TimeSpan.FromMilliseconds(150), rig.Latest("primary.brake").Time);
        await stop.CancelAsync();
        await publishing.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task FileThatIsNotARecording_IsReportedWithWhere()
    {
        using var dir = new TempDirectory("dce-replay");
        var path = dir.Combine("broken.mcap");
        await File.WriteAllBytesAsync(path, new byte[100], TestContext.Current.CancellationToken);
        var rig = new SourceRig();
        var frames = new RecordingFrameSource(new RecordingReplay(new CameraSourceOptions { Kind = FrameSourceKind.Recording, Path = path }), rig.Clock);

        var e = await Assert.ThrowsAsync<FrameSourceException>(async () => await frames.ReadFramesAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal("not-a-recording", e.Kind);
        Assert.Contains("broken.mcap", e.Message, StringComparison.Ordinal);
    }
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Sources.Camera;
using DataCentric.Edge.Device.Sources.Sensors;
using DataCentric.Edge.Device.Tests.Sources.Sensors;
using DataCentric.Edge.TestKit;
using SkiaSharp;

namespace DataCentric.Edge.Device.Tests.Sources.Camera;

[Trait("Category", "Integration")]
public sealed class FfmpegFrameSourceTests
{
    [Fact]
    public async Task TestsrcVideo_IsDecodedIntoJpegFrames_AtTheConfiguredSize()
    {
        using var dir = new TempDirectory("dce-ffmpeg");
        var video = await TestVideos.TestsrcAsync(dir.Path, seconds: 1, fps: 10);
        var rig = new SourceRig();
        var options = new CameraSourceOptions { Kind = FrameSourceKind.VideoFile, Path = video, Width = 160, Height = 120, Pacing = ReplayPacing.AsFastAsPossible };
        var source = new FfmpegFrameSource(options, rig.Clock, rig.BadInput);

        var frames = await source.ReadFramesAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(10, frames.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), frames.Select(f => f.Sequence));
        Assert.All(frames, f => Assert.True(JpegMarkers.LooksLikeJpeg(f.Data.Span)));
        using var decoded = SKBitmap.Decode(frames[3].Data.ToArray());
        Assert.Equal((160, 120), (decoded.Width, decoded.Height));
        Assert.Equal(0, rig.BadInput.Total);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Arguments_CapDecodeThreads_AndPaceInRealTimeOnlyWhenAsked()
    {
        var rig = new SourceRig();
        var realTime = new FfmpegFrameSource(new CameraSourceOptions { Kind = FrameSourceKind.VideoFile, Path = "drive.mp4", DecodeThreads = 2, Loop = true }, rig.Clock, rig.BadInput).Arguments();
        var fast = new FfmpegFrameSource(new CameraSourceOptions { Kind = FrameSourceKind.VideoFile, Path = "drive.mp4", Pacing = ReplayPacing.AsFastAsPossible }, rig.Clock, rig.BadInput).Arguments();

        Assert.Equal("2", realTime[realTime.ToList().IndexOf("-threads") + 1]);
        Assert.Contains("-re", realTime);
        Assert.Contains("-stream_loop", realTime);
        Assert.DoesNotContain("-re", fast);
        Assert.Equal("1", fast[fast.ToList().IndexOf("-threads") + 1]);
    }

    [Fact]
    public async Task ImageFolder_IsReplayedInNameOrder()
    {
        using var dir = new TempDirectory("dce-images");
        for (var i = 0; i < 3; i++)
        {
            using var bitmap = new SKBitmap(64, 48);
            bitmap.Erase(new SKColor((byte)(i * 100), 0, 0));
            await File.WriteAllBytesAsync(Path.Combine(dir.Path, $"img{i}.jpg"), bitmap.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray(), TestContext.Current.CancellationToken);
        }

        var rig = new SourceRig();
        var options = new CameraSourceOptions { Kind = FrameSourceKind.ImageFolder, Path = dir.Path, Width = 64, Height = 48, Pacing = ReplayPacing.AsFastAsPossible, FramesPerSecond = 5 };
        var frames = await new FfmpegFrameSource(options, rig.Clock, rig.BadInput).ReadFramesAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3, frames.Count);
        var reds = frames.Select(f =>
        {
            using var b = SKBitmap.Decode(f.Data.ToArray());
            return (int)b.GetPixel(32, 24).Red;
        }).ToList();
        Assert.True(reds[0] < reds[1] && reds[1] < reds[2], $"frames out of order: red {string.Join(", ", reds)}");
    }

    [Fact]
    public async Task FileThatIsNotAVideo_FailsWithFfmpegsReason()
    {
        using var dir = new TempDirectory("dce-notvideo");
        var path = Path.Combine(dir.Path, "notes.mp4");
        await File.WriteAllTextAsync(path, "this is a shopping list, not a video", TestContext.Current.CancellationToken);
        var rig = new SourceRig();
        var source = new FfmpegFrameSource(new CameraSourceOptions { Kind = FrameSourceKind.VideoFile, Path = path, Pacing = ReplayPacing.AsFastAsPossible }, rig.Clock, rig.BadInput);

        var e = await Assert.ThrowsAsync<FrameSourceException>(async () => await source.ReadFramesAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal("not-a-video", e.Kind);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotAVideo_UnderSupervision_IsCountedReportedAndRetried_TheAgentKeepsRunning()
    {
        using var dir = new TempDirectory("dce-notvideo");
        var path = Path.Combine(dir.Path, "garbage.mkv");
        await File.WriteAllBytesAsync(path, new byte[4096], TestContext.Current.CancellationToken);
        var rig = new SourceRig();
        var health = new SourceHealth();
        var retrying = new SemaphoreSlim(0);
        health.Changed += s =>
        {
            if (s.State == SourceState.Retrying)
            {
                retrying.Release();
            }
        };
        var inner = new FfmpegFrameSource(new CameraSourceOptions { Kind = FrameSourceKind.VideoFile, Path = path, Pacing = ReplayPacing.AsFastAsPossible }, rig.Clock, rig.BadInput);
        var source = new ResilientFrameSource(inner, finite: true, health, new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8)), rig.BadInput, rig.Time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var reading = source.ReadFramesAsync(stop.Token).ToListAsync(stop.Token).AsTask();

        Assert.True(await retrying.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken), "the failure was not reported");
        // The backoff timer may not exist yet when the failure is reported: step the fake clock
        // until the retry happens (bounded), rather than advancing once and hoping.
        var retried = false;
        for (var step = 0; step < 200 && !retried; step++)
        {
            rig.Time.Advance(TimeSpan.FromMilliseconds(100));
            retried = await retrying.WaitAsync(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
        }

        Assert.True(retried, "the source was not retried");

        Assert.Equal(2, rig.BadInput.CountOf("not-a-video"));
        Assert.Single(rig.Log.Lines);
        var status = health.Of(source.Name)!;
        Assert.Equal(2, status.Restarts);
        Assert.Contains("garbage.mkv", status.LastError, StringComparison.Ordinal);
        Assert.False(reading.IsCompleted);

        await stop.CancelAsync();
        var frames = await reading.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Empty(frames);
    }
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Camera;
using DataCentric.Edge.Device.Sources.Sensors;
using DataCentric.Edge.Device.Tests.Sources.Sensors;
using DataCentric.Edge.TestKit.Hardware;
using Iot.Device.Media;

namespace DataCentric.Edge.Device.Tests.Sources.Camera;

/// <summary>V4L2 and libcamera without a camera: configuration, and the missing-device path reported precisely and retried.</summary>
[Trait("Category", "Unit")]
public sealed class CameraSourceTests
{
    [Fact]
    public void V4l2Settings_ComeFromOptions()
    {
        var rig = new SourceRig();
        var source = new V4l2FrameSource(new CameraSourceOptions { V4l2BusId = 3, Width = 1920, Height = 1080, PixelFormat = CameraPixelFormat.Yuyv }, rig.Clock, rig.BadInput);

        var settings = source.Settings();

        Assert.Equal(3, settings.BusId);
        Assert.Equal((1920u, 1080u), settings.CaptureSize);
        Assert.Equal(VideoPixelFormat.YUYV, settings.PixelFormat);
        Assert.Equal("v4l2:/dev/video3", source.Name);
    }

    [Fact]
    public async Task V4l2_MissingDeviceNode_IsReportedPrecisely()
    {
        var rig = new SourceRig();
        var source = new V4l2FrameSource(new CameraSourceOptions { V4l2BusId = 97 }, rig.Clock, rig.BadInput);

        var e = await Assert.ThrowsAsync<FrameSourceException>(async () => await source.ReadFramesAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal("camera-missing", e.Kind);
        Assert.Contains("/dev/video97 does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V4l2Structs_KeptForTheNativeBuild_AllExistInTheBindingsLibrary()
    {
        // Named by string for the AOT compiler: a struct renamed by a newer Iot.Device.Bindings would
        // make every V4L2 open throw. Needs neither a camera nor root.
        var thrown = Record.Exception(V4l2StructMarshalling.Ensure);

        Assert.Null(thrown);
    }

    [Fact]
    public async Task V4l2_NodeThatIsNoCamera_IsRefusedAtOnce_SayingWhatItOffers()
    {
        using var node = NotACameraNode.TryCreate();
        Assert.SkipWhen(node is null, "needs root with the right to make device nodes (mknod) for a stand-in /dev/videoN");
        var rig = new SourceRig();
        var source = new V4l2FrameSource(new CameraSourceOptions { V4l2BusId = node.BusId, PixelFormat = CameraPixelFormat.Mjpeg }, rig.Clock, rig.BadInput);

        // Without the check the capture loop spins on the node and no frame and no error ever come.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var e = await Assert.ThrowsAsync<FrameSourceException>(async () => await source.ReadFramesAsync(timeout.Token).ToListAsync(timeout.Token));

        Assert.Equal("camera-format", e.Kind);
        Assert.Contains($"V4L2 device {node.Path} cannot capture MJPEG: it offers no capture format at all", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task V4l2_CameraThatIsGone_IsRetriedWithDoublingBackoff_AndShownOnTheStatus()
    {
        var rig = new SourceRig();
        var health = new SourceHealth();
        var attempts = new SemaphoreSlim(0);
        health.Changed += s =>
        {
            if (s.State == SourceState.Retrying)
            {
                attempts.Release();
            }
        };
        var inner = new V4l2FrameSource(new CameraSourceOptions { V4l2BusId = 97 }, rig.Clock, rig.BadInput);
        var source = new ResilientFrameSource(inner, finite: false, health, new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)), rig.BadInput, rig.Time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var reading = source.ReadFramesAsync(stop.Token).ToListAsync(stop.Token).AsTask();

        await WaitAsync(attempts);

        // Delays 1 s, 2 s, 4 s, 4 s: a retry comes only when its delay has passed.
        foreach (var delay in new[] { 1, 2, 4, 4 })
        {
            rig.Time.Advance(TimeSpan.FromSeconds(delay) - TimeSpan.FromMilliseconds(1));
            Assert.False(await attempts.WaitAsync(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken), $"retried before {delay} s");
            rig.Time.Advance(TimeSpan.FromMilliseconds(1));
            await WaitAsync(attempts);
        }

        var status = health.Of("v4l2:/dev/video97")!;
        Assert.Equal(SourceState.Retrying, status.State);
        Assert.Equal(5, status.Restarts);
        Assert.Contains("/dev/video97", status.LastError, StringComparison.Ordinal);
        Assert.Equal(5, rig.BadInput.CountOf("camera-missing"));
        Assert.Single(rig.Log.Lines);

        await stop.CancelAsync();
        await reading.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(SourceState.Stopped, health.Of("v4l2:/dev/video97")!.State);
    }

    [Fact]
    public void LibcameraArguments_ComeFromOptions()
    {
        var rig = new SourceRig();
        var source = new LibcameraFrameSource(new CameraSourceOptions { Kind = FrameSourceKind.Libcamera, Width = 1296, Height = 972, FramesPerSecond = 25, LibcameraIndex = 1 }, rig.Clock, rig.BadInput);

        var args = string.Join(" ", source.Arguments());

        Assert.Contains("1296", args, StringComparison.Ordinal);
        Assert.Contains("972", args, StringComparison.Ordinal);
        Assert.Contains("25", args, StringComparison.Ordinal);
        Assert.Contains("mjpeg", args, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Libcamera_MissingApp_IsReportedPrecisely()
    {
        var rig = new SourceRig();
        var source = new LibcameraFrameSource(new CameraSourceOptions { Kind = FrameSourceKind.Libcamera, LibcameraApp = "rpicam-vid-not-installed" }, rig.Clock, rig.BadInput);

        var e = await Assert.ThrowsAsync<FrameSourceException>(async () => await source.ReadFramesAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal("camera-missing", e.Kind);
        Assert.Contains("'rpicam-vid-not-installed' is not installed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yuyv_WithTheWrongSize_IsGarbage_AndAGoodFrameEncodes()
    {
        using var encoder = new YuyvJpegEncoder(4, 2, 80, threads: 1);

        Assert.Equal("garbage", Assert.Throws<FrameSourceException>(() => encoder.Encode(new byte[10], 10)).Kind);
        var grey = Enumerable.Repeat((byte)128, 16).ToArray();
        Assert.True(JpegMarkers.LooksLikeJpeg(encoder.Encode(grey, grey.Length)));
    }

    /// <summary>A real USB camera on /dev/video0.</summary>
    [Fact]
    [Trait("Category", "Hardware")]
    public async Task RealV4l2Camera_DeliversJpegFrames()
    {
        var rig = new SourceRig();
        var source = new V4l2FrameSource(new CameraSourceOptions { Width = 640, Height = 480 }, new MonotonicClock(TimeProvider.System), rig.BadInput);
        var frames = await source.ReadFramesAsync(TestContext.Current.CancellationToken).Take(5).ToListAsync(TestContext.Current.CancellationToken);
        Assert.All(frames, f => Assert.True(JpegMarkers.LooksLikeJpeg(f.Data.Span)));
    }

    /// <summary>A Raspberry Pi camera module with rpicam-apps installed.</summary>
    [Fact]
    [Trait("Category", "Hardware")]
    public async Task RealPiCamera_DeliversJpegFrames()
    {
        var rig = new SourceRig();
        var source = new LibcameraFrameSource(new CameraSourceOptions { Kind = FrameSourceKind.Libcamera, Width = 640, Height = 480 }, new MonotonicClock(TimeProvider.System), rig.BadInput);
        var frames = await source.ReadFramesAsync(TestContext.Current.CancellationToken).Take(5).ToListAsync(TestContext.Current.CancellationToken);
        Assert.All(frames, f => Assert.True(JpegMarkers.LooksLikeJpeg(f.Data.Span)));
    }

    private static async Task WaitAsync(SemaphoreSlim attempts) =>
        Assert.True(await attempts.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken), "no retry was reported");
}

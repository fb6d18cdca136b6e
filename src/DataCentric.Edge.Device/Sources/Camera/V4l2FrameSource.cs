using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Device.Sources.Sensors;
using Iot.Device.Media;

namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>
/// A V4L2 camera through Iot.Device.Bindings' <see cref="VideoDevice"/>, MJPEG (passed through) or
/// YUYV (encoded to JPEG on at most <see cref="CameraSourceOptions.DecodeThreads"/> threads).
/// The driver's capture loop runs on its own thread and hands frames over a bounded queue that
/// drops the oldest (counted) when the pipeline is behind.
/// </summary>
public sealed class V4l2FrameSource(CameraSourceOptions options, MonotonicClock clock, BadInputCounter badInput) : IFrameSource
{
    private long _dropped;

    public string DevicePath => $"/dev/video{options.V4l2BusId}";

    public string Name => $"v4l2:{DevicePath}";

    /// <summary>Frames the driver delivered that the queue had to drop.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public VideoConnectionSettings Settings() => new(
        options.V4l2BusId,
        ((uint)options.Width, (uint)options.Height),
        options.PixelFormat == CameraPixelFormat.Mjpeg ? VideoPixelFormat.MJPEG : VideoPixelFormat.YUYV);

    public async IAsyncEnumerable<Frame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(DevicePath))
        {
            throw new FrameSourceException("camera-missing", $"V4L2 camera {DevicePath} does not exist (unplugged, or another {nameof(CameraSourceOptions.V4l2BusId)}?)");
        }

        var queue = Channel.CreateBounded<(TimeSpan Time, byte[] Data, int Length)>(
            new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ => Interlocked.Increment(ref _dropped));
        V4l2StructMarshalling.Ensure();
        using var device = VideoDevice.Create(Settings());
        RefuseUnlessItCaptures(device);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var encoder = options.PixelFormat == CameraPixelFormat.Yuyv
            ? new YuyvJpegEncoder(options.Width, options.Height, options.JpegQuality, options.DecodeThreads)
            : null;
        device.NewImageBufferReady += (_, e) =>
        {
            // The driver reuses its buffer after the event returns: copy now.
            var copy = e.ImageBuffer.AsSpan(0, e.Length).ToArray();
            queue.Writer.TryWrite((clock.Now, copy, e.Length));
        };
        var capture = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    device.StartCaptureContinuous();
                    device.CaptureContinuous(stop.Token);
                    queue.Writer.TryComplete();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    queue.Writer.TryComplete(new FrameSourceException("camera-failed", $"V4L2 camera {DevicePath} failed: {e.Message}", e));
                }
            },
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        long sequence = 0;
        try
        {
            await foreach (var (time, data, length) in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var jpeg = ToJpeg(encoder, data, length);
                if (jpeg is not null)
                {
                    yield return new Frame(sequence++, time, clock.ToWallClock(time), options.Width, options.Height, "jpeg", jpeg);
                }
            }

            throw new FrameSourceException("camera-gone", $"V4L2 camera {DevicePath} stopped delivering frames");
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await capture.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (device.IsCapturing)
            {
                device.StopCaptureContinuous();
            }
        }
    }

    private byte[]? ToJpeg(YuyvJpegEncoder? encoder, byte[] data, int length)
    {
        if (encoder is null)
        {
            if (JpegMarkers.LooksLikeJpeg(data.AsSpan(0, length)))
            {
                return data;
            }

            badInput.Report("garbage", $"{DevicePath} delivered {length} bytes that are not a JPEG image");
            return null;
        }

        try
        {
            return encoder.Encode(data, length);
        }
        catch (FrameSourceException e)
        {
            badInput.Report(e.Kind, $"{DevicePath}: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// A node that cannot capture the configured format (a Pi's codec or ISP node, a metadata node, a
    /// wrong <see cref="CameraSourceOptions.V4l2BusId"/>) would otherwise sit silent, delivering nothing.
    /// </summary>
    private void RefuseUnlessItCaptures(VideoDevice device)
    {
        var wanted = device.Settings.PixelFormat;
        var offered = device.GetSupportedPixelFormats().ToList();
        if (!offered.Contains(wanted))
        {
            var what = offered.Count == 0 ? "no capture format at all (not a camera node?)" : $"only {string.Join(", ", offered)}";
            throw new FrameSourceException("camera-format",
                $"V4L2 device {DevicePath} cannot capture {wanted}: it offers {what}; check {nameof(CameraSourceOptions.V4l2BusId)} and {nameof(CameraSourceOptions.PixelFormat)}");
        }
    }
}

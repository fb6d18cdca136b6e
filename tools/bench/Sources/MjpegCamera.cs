using System.Runtime.CompilerServices;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Device.Sources.Camera;

namespace DataCentric.Edge.Bench.Sources;

/// <summary>
/// A camera that compresses on the chip, as a UVC webcam in MJPEG mode does: per frame the agent
/// copies the driver's buffer, checks the markers and stamps it — exactly what V4l2FrameSource does
/// after VideoDevice's event. The JPEGs are rendered once up front.
/// </summary>
internal sealed class MjpegCamera(IReadOnlyList<byte[]> jpegs, int width, int height, int fps, MonotonicClock clock) : IFrameSource
{
    public string Name => "bench-mjpeg";

    public async IAsyncEnumerable<Frame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / fps), clock.TimeProvider);
        long sequence = 0;
        while (await Tick(timer, cancellationToken).ConfigureAwait(false))
        {
            var driverBuffer = jpegs[(int)(sequence % jpegs.Count)];
            var copy = driverBuffer.AsSpan().ToArray();
            if (!JpegMarkers.LooksLikeJpeg(copy))
            {
                continue;
            }

            var now = clock.Now;
            yield return new Frame(sequence++, now, clock.ToWallClock(now), width, height, "jpeg", copy);
        }
    }

    private static async ValueTask<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

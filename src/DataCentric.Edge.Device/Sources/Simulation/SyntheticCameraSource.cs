using System.Runtime.CompilerServices;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;

namespace DataCentric.Edge.Device.Sources.Simulation;

/// <summary>A camera that films the <see cref="SyntheticScene"/> at a fixed frame rate.</summary>
public sealed class SyntheticCameraSource(SyntheticScene scene, MonotonicClock clock) : IFrameSource
{
    public string Name => "synthetic";

    public async IAsyncEnumerable<Frame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = scene.Options;
        using var renderer = new SceneRenderer(options.Width, options.Height, options.JpegQuality);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / options.FramesPerSecond), clock.TimeProvider);
        long sequence = 0;
        do
        {
            var now = clock.Now;
            var jpeg = renderer.RenderJpeg(scene.StateAt(now));
            yield return new Frame(sequence++, now, clock.ToWallClock(now), renderer.Width, renderer.Height, "jpeg", jpeg);
        }
        while (await WaitAsync(timer, cancellationToken).ConfigureAwait(false));
    }

    private static async ValueTask<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
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

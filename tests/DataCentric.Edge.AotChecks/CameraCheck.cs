using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Camera;
using DataCentric.Edge.Device.Sources.Sensors;
using DataCentric.Edge.TestKit.Hardware;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.AotChecks;

/// <summary>
/// A V4L2 open through Iot.Device.Media, whose ioctl numbers are sized by Marshal.SizeOf at run
/// time: a node that is no camera must be refused with the source's own error, not a marshalling
/// failure of the native build.
/// </summary>
internal static class CameraCheck
{
    public static async Task<string?> NotACameraAsync()
    {
        using var node = NotACameraNode.TryCreate();
        if (node is null)
        {
            return "needs root with the right to make device nodes (mknod) for a stand-in /dev/videoN";
        }

        var options = new CameraSourceOptions { Kind = FrameSourceKind.V4l2, V4l2BusId = node.BusId, Width = 640, Height = 480 };
        var badInput = new BadInputCounter("camera", TimeProvider.System, TimeSpan.FromSeconds(30), NullLogger.Instance);
        var source = new V4l2FrameSource(options, new MonotonicClock(TimeProvider.System), badInput);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var frame in source.ReadFramesAsync(timeout.Token))
            {
                throw new CheckFailedException($"{node.Path} is no camera, yet it gave a frame of {frame.Data.Length} bytes");
            }
        }
        catch (FrameSourceException e)
        {
            Check.Equal("camera-format", e.Kind, $"the refusal's kind ({e.Message})");
            Check.That(e.Message.Contains(node.Path, StringComparison.Ordinal), $"the error does not name {node.Path}: {e.Message}");
            return null;
        }

        throw new CheckFailedException($"{node.Path}: the source ended without an error");
    }
}

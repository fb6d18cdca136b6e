using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Device.Sources.Sensors;
using Iot.Device.Camera.Settings;
using Iot.Device.Common;

namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>
/// A Raspberry Pi camera module through Iot.Device.Camera: the libcamera video app
/// (<c>rpicam-vid</c>) streams MJPEG at the configured size and rate to a pipe, which is cut into
/// frames. The app runs as a separate process, so the camera stack cannot crash the agent.
/// </summary>
public sealed class LibcameraFrameSource(CameraSourceOptions options, MonotonicClock clock, BadInputCounter badInput) : IFrameSource
{
    public string Name => $"libcamera:{options.LibcameraApp}#{options.LibcameraIndex}";

    public string[] Arguments() => new CommandOptionsBuilder(includeOutputToStdio: true)
        .WithContinuousStreaming(0)
        .WithCamera(options.LibcameraIndex)
        .WithResolution(options.Width, options.Height)
        .WithVideoFramerate(options.FramesPerSecond)
        .WithMJPEGVideoOptions(options.JpegQuality)
        .GetArguments();

    public async IAsyncEnumerable<Frame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var app = FindExecutable(options.LibcameraApp)
            ?? throw new FrameSourceException("camera-missing", $"libcamera app '{options.LibcameraApp}' is not installed or not on PATH (Raspberry Pi OS: apt install rpicam-apps)");
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4L * options.MaxFrameBytes, resumeWriterThreshold: 2L * options.MaxFrameBytes));
        using var runner = new ProcessRunner(new ProcessSettings { Filename = app, BufferSize = 1 << 20 });
        var running = await runner.ContinuousRunAsync(Arguments(), pipe.Writer).ConfigureAwait(false);
        var splitter = new JpegStreamSplitter(pipe.Reader.AsStream(), options.MaxFrameBytes, badInput);
        long sequence = 0;
        try
        {
            while (await splitter.ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } jpeg)
            {
                var now = clock.Now;
                yield return new Frame(sequence++, now, clock.ToWallClock(now), options.Width, options.Height, "jpeg", jpeg);
            }

            throw new FrameSourceException("camera-gone", $"{options.LibcameraApp} stopped after {sequence} frames");
        }
        finally
        {
            runner.Kill();
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The full path of an app name as the shell would find it, or null.</summary>
    internal static string? FindExecutable(string app)
    {
        if (app.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(app) ? app : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, app))
            .FirstOrDefault(File.Exists);
    }
}

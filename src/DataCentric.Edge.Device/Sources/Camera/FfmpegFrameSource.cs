using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Device.Sources.Sensors;

namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>
/// A video file or an image folder, decoded by ffmpeg running as a separate process (so a codec
/// crash cannot take the agent down) and re-encoded to JPEG at the configured size. Real-time pacing
/// uses ffmpeg's <c>-re</c>; decoding threads are capped by <see cref="CameraSourceOptions.DecodeThreads"/>.
/// </summary>
public sealed class FfmpegFrameSource(CameraSourceOptions options, MonotonicClock clock, BadInputCounter badInput) : IFrameSource
{
    private const int StderrLinesKept = 8;

    public string Name => $"{(options.Kind == FrameSourceKind.ImageFolder ? "images" : "video")}:{options.Path}";

    public IReadOnlyList<string> Arguments() => BuildArguments(options);

    public async IAsyncEnumerable<Frame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var exists = options.Kind == FrameSourceKind.ImageFolder ? Directory.Exists(options.Path) : File.Exists(options.Path);
        if (!exists)
        {
            throw new FrameSourceException("missing-file", $"{(options.Kind == FrameSourceKind.ImageFolder ? "Image folder" : "Video file")} '{options.Path}' does not exist");
        }

        using var process = Start();
        var stderr = new Queue<string>();
        var stderrTask = DrainAsync(process.StandardError, stderr);
        var splitter = new JpegStreamSplitter(process.StandardOutput.BaseStream, options.MaxFrameBytes, badInput);
        long sequence = 0;
        try
        {
            while (await splitter.ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } jpeg)
            {
                var now = clock.Now;
                yield return new Frame(sequence++, now, clock.ToWallClock(now), options.Width, options.Height, "jpeg", jpeg);
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await stderrTask.ConfigureAwait(false);
            if (process.ExitCode != 0 || sequence == 0)
            {
                string last;
                lock (stderr)
                {
                    last = stderr.Count > 0 ? string.Join(" | ", stderr) : "no error output";
                }

                throw new FrameSourceException(
                    "not-a-video",
                    $"ffmpeg could not decode '{options.Path}' (exit code {process.ExitCode}, {sequence} frames): {last}");
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    internal static List<string> BuildArguments(CameraSourceOptions options)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error" };
        if (options.Pacing == ReplayPacing.RealTime)
        {
            args.Add("-re");
        }

        if (options.Loop)
        {
            args.AddRange(["-stream_loop", "-1"]);
        }

        args.AddRange(["-threads", options.DecodeThreads.ToString(CultureInfo.InvariantCulture)]);
        if (options.Kind == FrameSourceKind.ImageFolder)
        {
            args.AddRange([
                "-framerate", options.FramesPerSecond.ToString(CultureInfo.InvariantCulture),
                "-pattern_type", "glob",
                "-i", Path.Combine(options.Path, options.ImagePattern)]);
        }
        else
        {
            args.AddRange(["-i", options.Path]);
        }

        // ffmpeg's JPEG quality scale: 2 (best) .. 31 (worst).
        var quality = 2 + ((100 - options.JpegQuality) * 29 / 90);
        args.AddRange([
            "-an", "-sn",
            "-vf", $"scale={options.Width}:{options.Height}",
            "-c:v", "mjpeg", "-q:v", quality.ToString(CultureInfo.InvariantCulture),
            "-f", "image2pipe", "pipe:1"]);
        return args;
    }

    private Process Start()
    {
        var info = new ProcessStartInfo(options.FfmpegPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in BuildArguments(options))
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            return Process.Start(info) ?? throw new FrameSourceException("ffmpeg-missing", $"ffmpeg '{options.FfmpegPath}' did not start");
        }
        catch (Win32Exception e)
        {
            throw new FrameSourceException("ffmpeg-missing", $"ffmpeg '{options.FfmpegPath}' cannot be started: {e.Message} (install the ffmpeg package)", e);
        }
    }

    private static async Task DrainAsync(StreamReader reader, Queue<string> lines)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (lines)
            {
                lines.Enqueue(line);
                if (lines.Count > StderrLinesKept)
                {
                    lines.Dequeue();
                }
            }
        }
    }
}

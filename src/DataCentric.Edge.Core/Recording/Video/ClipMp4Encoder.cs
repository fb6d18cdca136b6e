using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Core.Recording.Video;

/// <summary>
/// Encodes a clip's camera frames (as recorded: JPEG or PNG) to an H.264 yuv420p MP4 with ffmpeg, the
/// index at the front (faststart) so players start before the end arrives. Shared by
/// <c>edgectl clips export --mp4</c> and the fleet console's MP4 download.
/// </summary>
public static class ClipMp4Encoder
{
    /// <summary>The frames of one camera in time order (the MP4 shows one camera).</summary>
    public static List<Frame> CameraFrames(ClipContent clip, string camera)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return [.. clip.Frames.Where(f => f.FrameId == camera).OrderBy(f => f.Time)];
    }

    /// <summary>
    /// Pipes <paramref name="frames"/> to <paramref name="ffmpeg"/>, which writes <paramref name="mp4Path"/>.
    /// Cancelling kills ffmpeg. The frame rate is the frames' mean rate from their timestamps.
    /// </summary>
    public static async Task<Mp4EncodeResult> EncodeAsync(IReadOnlyList<Frame> frames, string mp4Path, string ffmpeg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentOutOfRangeException.ThrowIfZero(frames.Count);
        var start = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(frames, mp4Path))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process was started");
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return new Mp4EncodeResult(Mp4EncodeOutcome.FfmpegNotStarted, e.Message);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            try
            {
                await WriteFramesAsync(process, frames, cancellationToken).ConfigureAwait(false);
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Nobody waits for the video any more: do not leave ffmpeg encoding it.
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            var message = (await stderr.ConfigureAwait(false)).Trim();
            await stdout.ConfigureAwait(false);
            return process.ExitCode == 0
                ? new Mp4EncodeResult(Mp4EncodeOutcome.Encoded, null)
                : new Mp4EncodeResult(Mp4EncodeOutcome.FfmpegFailed, $"ffmpeg exited with {process.ExitCode}: {message}");
        }
    }

    private static string[] Arguments(IReadOnlyList<Frame> frames, string mp4Path) =>
    [
        "-hide_banner", "-loglevel", "error", "-y",
        "-f", "image2pipe", "-c:v", frames[0].Format == "png" ? "png" : "mjpeg",
        "-framerate", FrameRate(frames).ToString("0.###", CultureInfo.InvariantCulture), "-i", "-",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-movflags", "+faststart",
        "-f", "mp4", mp4Path,
    ];

    private static async Task WriteFramesAsync(Process process, IReadOnlyList<Frame> frames, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var frame in frames)
            {
                await process.StandardInput.BaseStream.WriteAsync(frame.Data, cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // ffmpeg stopped reading: its exit code and message say why.
        }
    }

    /// <summary>Frames per second over the clip; 10 when there is a single frame.</summary>
    private static double FrameRate(IReadOnlyList<Frame> frames)
    {
        var span = frames[^1].Time - frames[0].Time;
        return frames.Count < 2 || span <= TimeSpan.Zero ? 10 : (frames.Count - 1) / span.TotalSeconds;
    }
}

/// <summary>How an encode ended: <see cref="Message"/> says why for the failures.</summary>
public sealed record Mp4EncodeResult(Mp4EncodeOutcome Outcome, string? Message);

public enum Mp4EncodeOutcome
{
    Encoded,

    /// <summary>The ffmpeg executable could not be started (not installed, wrong path).</summary>
    FfmpegNotStarted,

    /// <summary>ffmpeg ran and exited non-zero.</summary>
    FfmpegFailed,
}

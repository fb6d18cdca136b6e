using System.Diagnostics;
using System.Globalization;

namespace DataCentric.Edge.FleetService.Tests.WebConsole;

/// <summary>The real ffmpeg and ffprobe (tools/test.sh installs them): test JPEGs in, facts about an MP4 out.</summary>
internal static class Mp4Tools
{
    /// <summary><paramref name="count"/> real JPEGs of ffmpeg's test pattern.</summary>
    public static async Task<byte[][]> RenderJpegsAsync(string directory, int count, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await RunAsync("ffmpeg", cancellationToken, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10",
            "-frames:v", count.ToString(CultureInfo.InvariantCulture), "-q:v", "5", Path.Combine(directory, "f%03d.jpg"));
        return [.. Enumerable.Range(1, count).Select(i => File.ReadAllBytes(Path.Combine(directory, $"f{i:000}.jpg")))];
    }

    /// <summary>ffprobe's view of the video stream, counting the frames it decodes: codec_name, pix_fmt, nb_read_frames, r_frame_rate.</summary>
    public static async Task<Dictionary<string, string>> ProbeAsync(string mp4, CancellationToken cancellationToken)
    {
        var text = await RunAsync("ffprobe", cancellationToken, "-v", "error", "-select_streams", "v:0", "-count_frames",
            "-show_entries", "stream=codec_name,pix_fmt,nb_read_frames,r_frame_rate", "-of", "default=noprint_wrappers=1", mp4);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
    }

    private static async Task<string> RunAsync(string tool, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await errors}");
        return await output;
    }
}

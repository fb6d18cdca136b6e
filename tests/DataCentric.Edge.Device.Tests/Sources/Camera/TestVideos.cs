using System.Diagnostics;

namespace DataCentric.Edge.Device.Tests.Sources.Camera;

/// <summary>Makes small videos with ffmpeg's <c>testsrc</c> pattern (ffmpeg is installed by tools/test.sh).</summary>
internal static class TestVideos
{
    /// <summary>Writes a <paramref name="seconds"/>-long MPEG-4 video of the test pattern.</summary>
    public static async Task<string> TestsrcAsync(string directory, double seconds, int fps, int width = 320, int height = 240)
    {
        var path = Path.Combine(directory, "testsrc.mp4");
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[]
        {
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
            "-i", $"testsrc=size={width}x{height}:rate={fps}", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", "mpeg4", "-q:v", "5", path,
        })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"ffmpeg could not make the test video: {error}");
        return path;
    }
}

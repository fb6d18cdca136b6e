using System.Diagnostics;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Cli.Tests.Commands;

/// <summary>Export through the real MCAP reader and the real ffmpeg (tools/test.sh installs it).</summary>
[Trait("Category", "Integration")]
public sealed class ClipsExportCommandTests : IDisposable
{
    private const int FrameCount = 6;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Frames_AreWrittenAsTheRecordedJpegs()
    {
        var (clipPath, jpegs) = await WriteClipAsync();
        var outDir = _dir.Combine("frames");

        var (exit, output, error) = await RunAsync("clips", "export", clipPath, "--frames", outDir);

        Assert.True(exit == 0, error);
        Assert.Contains($"{FrameCount} frames written", output, StringComparison.Ordinal);
        var written = Directory.GetFiles(outDir, "*.jpg").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(FrameCount, written.Length);
        for (var i = 0; i < FrameCount; i++)
        {
            Assert.Equal(jpegs[i], await File.ReadAllBytesAsync(written[i], TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Mp4_HoldsEveryFrame_AtTheClipsRate()
    {
        var (clipPath, _) = await WriteClipAsync();
        var mp4 = _dir.Combine("clip.mp4");

        var (exit, _, error) = await RunAsync("clips", "export", clipPath, "--mp4", mp4);

        Assert.True(exit == 0, error);
        var probe = await RunProcessAsync("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,nb_read_frames,r_frame_rate", "-of", "default=noprint_wrappers=1", mp4);
        Assert.Contains("codec_name=h264", probe, StringComparison.Ordinal);
        Assert.Contains($"nb_read_frames={FrameCount}", probe, StringComparison.Ordinal);
        Assert.Contains("r_frame_rate=10/1", probe, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedClip_IsRefusedWithTheReadersError_AndNothingIsWritten()
    {
        var (clipPath, _) = await WriteClipAsync();
        var bytes = await File.ReadAllBytesAsync(clipPath, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(clipPath, bytes[..(bytes.Length * 2 / 3)], TestContext.Current.CancellationToken);
        var outDir = _dir.Combine("frames");

        var (exit, _, error) = await RunAsync("clips", "export", clipPath, "--frames", outDir, "--mp4", _dir.Combine("x.mp4"));

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains(clipPath, error, StringComparison.Ordinal);
        Assert.Contains("Invalid MCAP file", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
        Assert.False(File.Exists(_dir.Combine("x.mp4")));
    }

    [Fact]
    public async Task NoOutputChosen_IsAUsageError()
    {
        var (clipPath, _) = await WriteClipAsync();

        var (exit, _, error) = await RunAsync("clips", "export", clipPath);

        Assert.NotEqual(0, exit);
        Assert.Contains("--mp4", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFfmpeg_SaysSo()
    {
        var (clipPath, _) = await WriteClipAsync();

        var (exit, _, error) = await RunAsync("clips", "export", clipPath, "--mp4", _dir.Combine("x.mp4"), "--ffmpeg", _dir.Combine("no-such-ffmpeg"));

        Assert.NotEqual(0, exit);
        Assert.Contains("ffmpeg could not be started", error, StringComparison.Ordinal);
    }

    private async Task<(string ClipPath, List<byte[]> Jpegs)> WriteClipAsync()
    {
        var pattern = _dir.Combine("src-%02d.jpg");
        await RunProcessAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-frames:v", $"{FrameCount}", pattern);
        var jpegs = new List<byte[]>();
        var frames = new List<Frame>();
        for (var i = 0; i < FrameCount; i++)
        {
            var jpeg = await File.ReadAllBytesAsync(_dir.Combine($"src-{i + 1:D2}.jpg"), TestContext.Current.CancellationToken);
            jpegs.Add(jpeg);
            var at = TimeSpan.FromMilliseconds(100 * i);
            frames.Add(new Frame(i, at, DateTimeOffset.UnixEpoch + at, 64, 48, "jpeg", jpeg));
        }

        var template = TestClips.Clip("export-me", frames: 1, frameBytes: 1);
        var clip = template with { Frames = frames, End = frames[^1].Time };
        var clipPath = _dir.Combine("export-me.mcap");
        await using (var file = File.Create(clipPath))
        {
            new McapClipWriter().Write(clip, file);
        }

        return (clipPath, jpegs);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await EdgectlApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static async Task<string> RunProcessAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"{file} failed: {await stderr}");
        return await stdout;
    }

    public void Dispose() => _dir.Dispose();
}

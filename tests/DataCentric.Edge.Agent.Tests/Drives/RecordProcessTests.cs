using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Processes;

namespace DataCentric.Edge.Agent.Tests.Drives;

/// <summary>
/// <c>dce-agent record</c> as an integrator runs it on a board: a separate process on its run
/// configuration (here the shipped appsettings.json: synthetic camera and simulated controller, as
/// this machine has no hardware), with its disk budget and its bad inputs.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RecordProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new("dce-record");

    [Fact]
    public async Task Record_WithFrames_WritesOneCompleteDrive_WithFramesSignalsAndItsMeasuredClipSize()
    {
        var (exit, output, error) = await RecordAsync(["--minutes", "0.1", "--frames"], []);

        Assert.True(exit == 0, error);
        var file = Assert.Single(Directory.GetFiles(Drives, "*"));
        Assert.EndsWith(".mcap", file, StringComparison.Ordinal);
        Assert.Contains($"-> {file}", output, StringComparison.Ordinal);
        var drive = Read(file);
        Assert.NotEmpty(drive.Frames);
        Assert.All(drive.Frames, f => Assert.InRange(f.Time, drive.Start, drive.End));
        var names = drive.Signals.Select(s => s.Name).ToHashSet();
        Assert.Contains("shadow.obstacle", names);
        Assert.Contains("primary.brake", names);
        Assert.Equal("completed", drive.Metadata["drive.stop_reason"]);
        Assert.Equal(drive.Frames.Count.ToString(CultureInfo.InvariantCulture), drive.Metadata["drive.frames_kept"]);

        // What a clip costs per second: at least the frames' JPEG bytes (they go in as base64).
        var measured = double.Parse(drive.Metadata[DriveMetadataKeys.ClipBytesPerSecond], CultureInfo.InvariantCulture);
        var jpegPerSecond = drive.Frames.Sum(f => (double)f.Data.Length) / (drive.End - drive.Start).TotalSeconds;
        Assert.InRange(measured, jpegPerSecond, jpegPerSecond * 3);

        // The model's settings travel with the drive, for a replay through another model.
        Assert.Equal("models/obstacle-detector.onnx", drive.Metadata["config:Inference:Models:0:ModelPath"]);
    }

    [Fact]
    public async Task Record_WithoutFrames_KeepsNone_ButStillMeasuresWhatClipsWouldCost()
    {
        var (exit, _, error) = await RecordAsync(["--minutes", "0.05"], []);

        Assert.True(exit == 0, error);
        var drive = Read(Assert.Single(Directory.GetFiles(Drives, "*.mcap")));
        Assert.Empty(drive.Frames);
        Assert.Equal("0", drive.Metadata["drive.frames_kept"]);
        Assert.True(long.Parse(drive.Metadata["drive.frames"], CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(drive.Metadata[DriveMetadataKeys.ClipBytesPerSecond], CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Record_ReachingTheDiskBudget_StopsThere_AndTheDriveSaysWhy()
    {
        const long budget = 1_300_000;
        var (exit, _, error) = await RecordAsync(["--minutes", "2", "--frames"], new() { ["DCE_Drives__MaxDiskBytes"] = budget.ToString(CultureInfo.InvariantCulture) });

        Assert.True(exit == 0, error);
        var file = Assert.Single(Directory.GetFiles(Drives, "*"));
        Assert.InRange(new FileInfo(file).Length, 1, budget);
        var drive = Read(file);
        Assert.StartsWith("stopped at the disk budget", drive.Metadata["drive.stop_reason"], StringComparison.Ordinal);
        Assert.Contains("Drives:MaxDiskBytes", drive.Metadata["drive.stop_reason"], StringComparison.Ordinal);
        Assert.True(drive.End - drive.Start < TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task Record_WithTheBudgetAlreadyTaken_IsRefused_AndWritesNothing()
    {
        Directory.CreateDirectory(Drives);
        var old = Path.Combine(Drives, "old.mcap");
        await File.WriteAllBytesAsync(old, new byte[2 * 1024 * 1024], TestContext.Current.CancellationToken);

        var (exit, _, error) = await RecordAsync(["--minutes", "1"], new() { ["DCE_Drives__MaxDiskBytes"] = (2 * 1024 * 1024).ToString(CultureInfo.InvariantCulture) });

        Assert.Equal(2, exit);
        Assert.Contains("no disk budget left for a drive: Drives:MaxDiskBytes is 2 MiB and the drives in", error, StringComparison.Ordinal);
        Assert.Equal([old], Directory.GetFiles(Drives));
    }

    [Fact]
    public async Task Record_WhenTheClipBufferNeedsTheDisk_IsRefused_NamingIt()
    {
        var (exit, _, error) = await RecordAsync(["--minutes", "1"], new() { ["DCE_Storage__ClipQuotaBytes"] = (1L << 50).ToString(CultureInfo.InvariantCulture) });

        Assert.Equal(2, exit);
        Assert.Contains("the clip buffer needs", error, StringComparison.Ordinal);
        Assert.Contains("Storage:ClipQuotaBytes", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Drives) && Directory.GetFiles(Drives).Length > 0);
    }

    [Fact]
    public async Task Record_LongerThanDrivesMaxDuration_IsRefused_NamingTheLimit()
    {
        var (exit, _, error) = await RecordAsync(["--minutes", "5"], new() { ["DCE_Drives__MaxDuration"] = "00:02:00" });

        Assert.Equal(2, exit);
        Assert.Contains("at most 2 minutes (Drives:MaxDuration), not 5", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", "'0' is not a positive number of minutes")]
    [InlineData("-3", "'-3' is not a positive number of minutes")]
    [InlineData("ten", "'ten' is not a positive number of minutes")]
    [InlineData("100000", "100000 is more than the 1440 minutes one recording may last")]
    public async Task Record_WithBadMinutes_ExitsWith2_NamingTheOption_AndStartsNothing(string minutes, string expected)
    {
        var (exit, output, error) = await RecordAsync(["--minutes", minutes], []);

        Assert.Equal(2, exit);
        Assert.Contains($"option '--minutes': {expected}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("record:", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Drives));
    }

    public void Dispose() => _dir.Dispose();

    private string Drives => _dir.Combine("drives");

    private static Core.Contracts.ClipContent Read(string file)
    {
        using var stream = File.OpenRead(file);
        return new McapClipReader().Read(stream);
    }

    private Task<(int Exit, string Output, string Error)> RecordAsync(string[] args, Dictionary<string, string?> environment)
    {
        // Nothing listens there: the uplink retries quietly while the drive records.
        var withClosedUplink = new Dictionary<string, string?> { ["DCE_Uplink__Port"] = ClosedPort().ToString(CultureInfo.InvariantCulture) };
        foreach (var (key, value) in environment)
        {
            withClosedUplink[key] = value;
        }

        return DotnetApp.RunAsync(
            "dce-agent.dll", ["record", .. args, "--out", Drives, "--data", _dir.Combine("data")], withClosedUplink, TimeSpan.FromSeconds(90),
            TestContext.Current.CancellationToken, AppContext.BaseDirectory);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Text.Json;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Cli.Tests.Commands;

/// <summary><c>edgectl clips pull --from --to</c>: an absolute window of wall-clock time, answered by the device's command handler.</summary>
[Trait("Category", "Integration")]
public sealed class ClipsAbsoluteWindowTests
{
    [Fact]
    public async Task Pull_FromTo_ReceivesTheStoredClipsOverlappingTheWindow_AndOnlyThose()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        var inside = fleet.Store.Save(TestClips.Clip("c-inside", frames: 5, frameBytes: 5_000) with { WallClockStart = At("2026-12-01T10:00:05Z") });
        fleet.Store.Save(TestClips.Clip("c-before", frames: 5, frameBytes: 5_000) with { WallClockStart = At("2026-12-01T09:00:00Z") });
        var outDir = fleet.Dir.Combine("pulled");

        // The same instant written with an offset: 11:00+01:00 is 10:00Z.
        var pull = await Edgectl.RunAsync(["clips", "pull", "--device", "d1", "--from", "2026-12-01T11:00:00+01:00", "--to", "2026-12-01T10:01:00Z",
            "--json", "--out", outDir, .. fleet.Common]);

        Assert.True(pull.Exit == 0, pull.Error);
        Assert.Contains("asking d1 for 2026-12-01 10:00:00Z to 2026-12-01 10:01:00Z", pull.Error, StringComparison.Ordinal);
        using var rows = JsonDocument.Parse(pull.Output);
        var row = Assert.Single(rows.RootElement.EnumerateArray());
        Assert.Equal("c-inside", row.GetProperty("clipId").GetString());
        Assert.Equal(inside.Sha256, ClipFileStore.HashFile(row.GetProperty("path").GetString()!));
        Assert.Equal(["c-inside.raw"], Directory.EnumerateFiles(outDir, "*.raw", SearchOption.AllDirectories).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Pull_OfAWindowTheDeviceNoLongerHolds_SaysWhatItStillHas()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        fleet.Store.Save(TestClips.Clip("c-kept", frames: 11, frameBytes: 1_000) with { WallClockStart = At("2026-12-01T10:00:00Z") });

        var pull = await Edgectl.RunAsync(["clips", "pull", "--device", "d1", "--from", "2026-11-30T08:00:00Z", "--to", "2026-11-30T08:10:00Z",
            "--out", fleet.Dir.Combine("pulled"), .. fleet.Common]);

        Assert.Equal(1, pull.Exit);
        Assert.Contains(
            "nothing of 2026-11-30T08:00:00.000Z to 2026-11-30T08:10:00.000Z is left on this device: it holds stored clips from 2026-12-01T10:00:00.000Z to 2026-12-01T10:00:01.000Z",
            pull.Error,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_OfAWindowInTheFuture_IsRefusedByTheDevice_WithItsClock()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        var from = DateTimeOffset.UtcNow.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var to = DateTimeOffset.UtcNow.AddHours(2.5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        var pull = await Edgectl.RunAsync(["clips", "pull", "--device", "d1", "--from", from, "--to", to, "--out", fleet.Dir.Combine("pulled"), .. fleet.Common]);

        Assert.Equal(1, pull.Exit);
        Assert.Contains("in the future (device time ", pull.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from yesterday --to 2026-12-01T10:00:00Z", "--from 'yesterday' is not a time: use ISO-8601")]
    [InlineData("--from 2026-12-01T10:00:00Z --to 2026-13-01T10:00:00Z", "--to '2026-13-01T10:00:00Z' is not a time")]
    [InlineData("--from 2026-12-01T10:00:00Z --to 2026-12-01T10:00:00Z", "--from (2026-12-01 10:00:00Z) must be before --to (2026-12-01 10:00:00Z)")]
    [InlineData("--from 2026-12-01T10:00:00Z --to 2026-12-01T11:00:01Z", "at most 01:00:00 can be pulled at once")]
    [InlineData("--from 2026-12-01T10:00:00Z", "--from needs --to")]
    [InlineData("--to 2026-12-01T10:00:00Z", "--to needs --from")]
    [InlineData("c1 --from 2026-12-01T10:00:00Z --to 2026-12-01T10:01:00Z", "give one of: a clip id, --event, or --from and --to")]
    [InlineData("--event e1 --from 2026-12-01T10:00:00Z --to 2026-12-01T10:01:00Z", "give one of: a clip id, --event, or --from and --to")]
    public async Task BadWindowArguments_AreUsageErrors_NamingTheArgument(string arguments, string error)
    {
        // No broker needed: every one of these is refused before edgectl connects (a value that is no time by the
        // parser, exit 1 as every parse error; the rest by the command, exit 2).
        var pull = await Edgectl.RunAsync(["clips", "pull", "--device", "d1", "--broker", "127.0.0.1:1", .. arguments.Split(' ')]);

        Assert.Equal(error.Contains("is not a time", StringComparison.Ordinal) ? 1 : EdgectlApp.UsageError, pull.Exit);
        Assert.Contains(error, pull.Error, StringComparison.Ordinal);
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}

using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Backtest;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Core.Tests.Triggers;

[Trait("Category", "Unit")]
public sealed class RecordedDriveTests
{
    [Fact]
    public void Load_ReadsSamplesSignalsAndGroundTruthIntervals()
    {
        var drive = Load();

        Assert.Equal(1203, drive.Samples.Count);
        Assert.Contains(("primary.brake", SignalKind.Bool), drive.KnownSignals);
        var truth = Assert.Single(drive.GroundTruth("truth.primary_missed"));
        Assert.Equal(TimeSpan.FromSeconds(5), truth.Start);
        Assert.Equal(TimeSpan.FromSeconds(7), truth.End);
    }

    [Theory]
    [InlineData("truth.nothing")]
    [InlineData("shadow.obstacle")]
    public void GroundTruth_FromAbsentOrNonBoolSignal_SaysWhich(string signal)
    {
        var error = Assert.Throws<InvalidDataException>(() => Load().GroundTruth(signal));

        Assert.Contains(signal, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backtest_OnTheDrive_FindsTheMissAndNotTheBrakedCase()
    {
        var drive = Load();
        var set = TriggerSetCompiler.Compile(
            """
            schemaVersion: 1
            version: 1
            triggers:
              - id: missed-obstacle
                when: held(shadow.obstacle > 0.5 and not primary.brake, 200ms)
                pre: 2s
                post: 1s
                cooldown: 3s
            """,
            TriggerSourceFormat.Yaml,
            drive.KnownSignals).GetSetOrThrow();

        var report = TriggerBacktest.Run(set, drive.Samples, new BacktestOptions { GroundTruth = drive.GroundTruth("truth.primary_missed") });

        var trigger = report["missed-obstacle"];
        Assert.Equal(1, trigger.Fires);
        Assert.Equal(1.0, trigger.Recall);
        Assert.Equal(1.0, trigger.Precision);
    }

    [Fact]
    public void Load_NotAnMcapFile_IsRejectedClearly()
    {
        using var stream = new MemoryStream("not a drive"u8.ToArray());

        var error = Assert.Throws<InvalidDataException>(() => RecordedDrive.Load(stream));
        Assert.Contains("MCAP", error.Message, StringComparison.Ordinal);
    }

    private static RecordedDrive Load()
    {
        using var stream = new MemoryStream();
        new McapClipWriter().Write(TestDrives.MissedObstacleDrive(), stream);
        stream.Position = 0;
        return RecordedDrive.Load(stream);
    }
}

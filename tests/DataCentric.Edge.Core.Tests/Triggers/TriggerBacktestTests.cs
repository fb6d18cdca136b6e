using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Backtest;
using DataCentric.Edge.Core.Triggers.Engine;

namespace DataCentric.Edge.Core.Tests.Triggers;

[Trait("Category", "Unit")]
public sealed class TriggerBacktestTests
{
    /// <summary>One hour at 10 Hz with a 1 s obstacle every 5 minutes; the controller misses every second one.</summary>
    private static List<BacktestSample> Drive(out List<GroundTruthInterval> truth)
    {
        var samples = new List<BacktestSample>();
        truth = [];
        for (var i = 0; i <= 36_000; i++)
        {
            var t = i * 0.1;
            var inObstacle = t % 300 is >= 100 and < 101;
            var missed = ((int)(t / 300) % 2) == 0;
            var time = TimeSpan.FromSeconds(t);
            samples.Add(new BacktestSample(time, "shadow.obstacle", SignalValue.FromNumber(inObstacle ? 0.9 : 0.05)));
            samples.Add(new BacktestSample(time, "primary.brake", SignalValue.FromBool(inObstacle && !missed)));
            samples.Add(new BacktestSample(time, "shadow.embedding", SignalValue.FromVector([1, 0, (int)(t / 600) % 2])));
            if (inObstacle && missed && t % 300 == 100)
            {
                truth.Add(new GroundTruthInterval(time, time + TimeSpan.FromSeconds(1)));
            }
        }

        return samples;
    }

    [Fact]
    public void Backtest_ReportsFiresPerHourBytesAndRecallPrecision()
    {
        var set = TriggerRig.Compile("""
            schemaVersion: 1
            version: 1
            triggers:
              - id: missed
                when: held(shadow.obstacle > 0.5 and not primary.brake, 200ms)
                pre: 4s
                post: 6s
              - id: any_obstacle
                when: shadow.obstacle > 0.5
                pre: 1s
                post: 1s
            """);
        var samples = Drive(out var truth);

        var report = TriggerBacktest.Run(set, samples, new BacktestOptions
        {
            GroundTruth = truth,
            Engine = new TriggerEngineOptions { EstimatedClipBytesPerSecond = 1000 },
        });

        Assert.Equal(TimeSpan.FromHours(1), report.Duration);
        Assert.Equal(72_001, report.Ticks); // 50 ms ticks
        Assert.Equal(6, truth.Count);

        var missed = report["missed"];
        Assert.Equal(6, missed.Fires);
        Assert.Equal(6, missed.FiresPerHour, 6);
        Assert.Equal(6 * 10 * 1000, missed.EstimatedClipBytesPerHour, 6);
        Assert.Equal(1.0, missed.Recall);
        Assert.Equal(1.0, missed.Precision);

        var any = report["any_obstacle"];
        Assert.Equal(12, any.Fires);
        Assert.Equal(1.0, any.Recall);
        Assert.Equal(0.5, any.Precision);
        Assert.Equal(12 * 2 * 1000, any.EstimatedClipBytesPerHour, 6);
    }

    [Fact]
    public void Backtest_ReportsTheShareOfNearDuplicateClips()
    {
        var set = TriggerRig.Compile(TriggerRig.OneTrigger("shadow.obstacle > 0.5"));

        var report = TriggerBacktest.Run(set, Drive(out _));

        // Embedding alternates every 10 minutes between two scenes: 12 fires, 2 distinct scenes.
        Assert.Equal(12, report["t"].Fires);
        Assert.Equal(10.0 / 12, report["t"].NearDuplicateShare!.Value, 6);
    }

    [Fact]
    public void Backtest_WithoutGroundTruthOrEmbeddings_LeavesThoseFiguresEmpty()
    {
        var set = TriggerRig.Compile(TriggerRig.OneTrigger("vehicle.speed > 10"));
        var samples = Enumerable.Range(0, 100).Select(i => new BacktestSample(TimeSpan.FromSeconds(i * 0.1), "vehicle.speed", SignalValue.FromNumber(i)));

        var report = TriggerBacktest.Run(set, samples);

        Assert.Equal(1, report["t"].Fires);
        Assert.Null(report["t"].Recall);
        Assert.Null(report["t"].Precision);
        Assert.Null(report["t"].NearDuplicateShare);
    }

    [Fact]
    public void Backtest_EventsCarryTheRecordingsWallClock()
    {
        var set = TriggerRig.Compile(TriggerRig.OneTrigger("vehicle.speed > 10"));
        var start = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var samples = Enumerable.Range(0, 50).Select(i => new BacktestSample(TimeSpan.FromSeconds(100 + i), "vehicle.speed", SignalValue.FromNumber(i)));

        var report = TriggerBacktest.Run(set, samples, new BacktestOptions { WallClockAtStart = start });

        var fired = Assert.Single(report.Events);
        Assert.Equal(TimeSpan.FromSeconds(111), fired.Time);
        Assert.Equal(start + TimeSpan.FromSeconds(11), fired.WallClock);
    }
}

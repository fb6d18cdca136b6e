using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;
using DataCentric.Edge.Device.Sources.Simulation;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;

namespace DataCentric.Edge.Device.Tests.Sources.Simulation;

/// <summary>The simulated controller's own boxes: imperfect in known ways, the same for the same seed.</summary>
[Trait("Category", "Unit")]
public sealed class SimulatedControllerPerceptionTests
{
    private const double Step = 0.05;

    private static readonly SyntheticScene Scene = new(new SyntheticSceneOptions
    {
        FirstEpisodeAt = TimeSpan.FromSeconds(1),
        EpisodePeriod = TimeSpan.FromSeconds(3),
        ApproachDuration = TimeSpan.FromSeconds(1.5),
        StandDuration = TimeSpan.FromSeconds(0.5),
    });

    private static SimulatedControllerOptions Options(int seed = 9)
    {
        var options = new SimulatedControllerOptions { Seed = seed };
        options.MissedEpisodes.Add(1);
        options.WrongClassEpisodes.Add(2);
        return options;
    }

    /// <summary>Runs the controller for six episodes at 20 Hz; returns each tick's (time, truth, controller) boxes.</summary>
    private static List<(double Time, IReadOnlyList<Detection> Truth, IReadOnlyList<Detection> Seen)> Drive(SimulatedController controller, SignalBus bus, Action<double>? afterTick = null)
    {
        controller.Register(bus);
        bus.TryGetId(SimulatedController.TruthBoxes, out var truthId);
        bus.TryGetId(SimulatedController.Boxes, out var seenId);
        var ticks = new List<(double, IReadOnlyList<Detection>, IReadOnlyList<Detection>)>();
        for (var t = 0.0; t < 19; t += Step)
        {
            controller.Publish(bus, TimeSpan.FromSeconds(t));
            bus.TryGetLatest(truthId, out var truth);
            bus.TryGetLatest(seenId, out var seen);
            ticks.Add((t, truth.Value.AsDetections, seen.Value.AsDetections));
            afterTick?.Invoke(t);
        }

        return ticks;
    }

    private static int EpisodeAt(double t) => Scene.StateAt(TimeSpan.FromSeconds(t)).Episode;

    private static SimulatedController Controller(SimulatedControllerOptions options) =>
        new(Scene, options, new MonotonicClock(new FakeTimeProvider()));

    [Fact]
    public void Boxes_MissTheMissedEpisode_JitterElsewhere_AndMisnameTheChosenEpisode()
    {
        var ticks = Drive(Controller(Options()), new SignalBus(new SignalBusOptions()));
        var withObstacle = ticks.Where(t => t.Truth.Count == 1).ToList();
        Assert.NotEmpty(withObstacle);

        foreach (var (time, truth, seen) in withObstacle)
        {
            var episode = EpisodeAt(time);
            if (episode == 1)
            {
                Assert.Empty(seen);
                continue;
            }

            var box = Assert.Single(seen);
            Assert.InRange(Detection.IntersectionOverUnion(truth[0], box), 0.5f, 1f);
            Assert.Equal(episode == 2 ? 1 : 0, box.ClassId);
            Assert.Equal("car", SimulatedController.Classes[truth[0].ClassId]);
        }

        // Jittered, not copied: most boxes differ from the truth.
        Assert.True(withObstacle.Count(t => t.Seen.Count == 1 && t.Seen[0] != t.Truth[0]) > withObstacle.Count / 2);

        // Nothing is seen where there is nothing (or only far away).
        Assert.All(ticks.Where(t => t.Truth.Count == 0), t => Assert.Empty(t.Seen));
    }

    [Fact]
    public void SameSeed_SameBoxes_OtherSeed_OtherJitter()
    {
        var a = Drive(Controller(Options(seed: 3)), new SignalBus(new SignalBusOptions()));
        var b = Drive(Controller(Options(seed: 3)), new SignalBus(new SignalBusOptions()));
        var c = Drive(Controller(Options(seed: 4)), new SignalBus(new SignalBusOptions()));

        Assert.Equal(a.SelectMany(t => t.Seen), b.SelectMany(t => t.Seen));
        Assert.NotEqual(a.SelectMany(t => t.Seen), c.SelectMany(t => t.Seen));
    }

    [Fact]
    public void IouMiss_FiresInTheMissedEpisodeOnly_ClassMismatchInTheMisnamedOne()
    {
        var bus = new SignalBus(new SignalBusOptions { HistoryCapacity = 64 });
        var controller = Controller(Options());
        controller.Register(bus);
        var clock = new MonotonicClock(new FakeTimeProvider());
        var yaml = """
            schemaVersion: 1
            version: 1
            triggers:
              - id: box-missed
                when: iou_miss(truth.boxes, primary.boxes, 0.5)
                cooldown: 0s
              - id: wrong-class
                when: class_mismatch(truth.boxes, primary.boxes) and count(primary.boxes) > 0
                cooldown: 0s
            """;
        var result = TriggerSetCompiler.Compile(yaml, TriggerSourceFormat.Yaml, bus.Describe());
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        using var engine = new TriggerEngine(result.Set!, bus, clock);
        var fired = new List<(string Trigger, int Episode)>();

        Drive(controller, bus, t =>
        {
            if (engine.Evaluate(TimeSpan.FromSeconds(t)) is { } e)
            {
                fired.AddRange(e.Triggers.Select(h => (h.TriggerId, EpisodeAt(t))));
            }
        });

        Assert.Equal([("box-missed", 1), ("wrong-class", 2)], fired);
    }

    [Fact]
    public void TruthBox_IsWhereTheRendererDrawsTheCar()
    {
        using var renderer = new SceneRenderer(320, 240, 95);
        foreach (var distance in new[] { 30.0, 12, 5 })
        {
            var state = new SceneState(0, true, distance, distance < 12, 0);
            using var image = SKBitmap.Decode(renderer.RenderJpeg(state));
            var (x, y, width, height) = SceneGeometry.ObstacleBox(distance);

            // The red body spans the box's full width; its rows lie within the box (the thin red
            // roof edge above the windscreen is lost to JPEG, so the red may start lower than the box).
            var (left, top, right, bottom) = RedExtent(image);
            Assert.InRange(left, (x * 320) - 2, (x * 320) + 2);
            Assert.InRange(right, ((x + width) * 320) - 2, ((x + width) * 320) + 2);
            Assert.InRange(top, (y * 240) - 2, ((y + (0.3 * height)) * 240) + 2);
            Assert.InRange(bottom, (y + (0.5 * height)) * 240, ((y + height) * 240) + 2);
        }
    }

    private static (int Left, int Top, int Right, int Bottom) RedExtent(SKBitmap image)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (var row = 0; row < image.Height; row++)
        {
            for (var column = 0; column < image.Width; column++)
            {
                var pixel = image.GetPixel(column, row);
                if (pixel.Red > 150 && pixel.Green < 90 && pixel.Blue < 90)
                {
                    (left, top, right, bottom) = (Math.Min(left, column), Math.Min(top, row), Math.Max(right, column + 1), Math.Max(bottom, row + 1));
                }
            }
        }

        return (left, top, right, bottom);
    }
}

using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Device.Sources.Simulation;

/// <summary>
/// Publishes <c>primary.brake</c> and <c>primary.steer</c> decided from the scene's ground truth,
/// the controller's own perception <c>primary.boxes</c> (imperfect: no box in the episodes it
/// misses, jittered boxes, now and then the wrong class, all deterministic from the seed), plus the
/// truth about the scene and the controller's own mistakes (<c>truth.*</c>, with the exact box in
/// <c>truth.boxes</c>) so recorded drives can score triggers. Class ids are those of <see cref="Classes"/>.
/// </summary>
public sealed class SimulatedController(SyntheticScene scene, SimulatedControllerOptions options, MonotonicClock clock) : ISignalSource
{
    public const string Brake = "primary.brake";
    public const string Steer = "primary.steer";
    public const string TruthObstacle = "truth.obstacle";
    public const string TruthMissed = "truth.primary_missed";
    public const string Boxes = "primary.boxes";
    public const string TruthBoxes = "truth.boxes";

    /// <summary>The classes the simulated controller reports, by id: the scene's obstacle is a car.</summary>
    public static IReadOnlyList<string> Classes { get; } = ["car", "pedestrian"];

    private const int Car = 0;
    private const int Pedestrian = 1;

    // Salt for the wrong-class draw, so it is independent of the miss draw of the same episode.
    private const int WrongClassSalt = 0x5EED;
    private static readonly Detection[] NoBoxes = [];

    private readonly Random _noise = new(options.Seed);
    private SignalId _brake;
    private SignalId _steer;
    private SignalId _truthObstacle;
    private SignalId _truthMissed;
    private SignalId _boxes;
    private SignalId _truthBoxes;

    public string Name => "simulated-controller";

    public bool Misses(int episode)
    {
        if (episode < 0)
        {
            return false;
        }

        if (options.MissedEpisodes.Count > 0)
        {
            return options.MissedEpisodes.Contains(episode);
        }

        return UnitHash(options.Seed, episode) < options.MissProbability;
    }

    /// <summary>Whether the controller's perception calls the obstacle of an episode a pedestrian (it still brakes for it).</summary>
    public bool MisclassifiesEpisode(int episode)
    {
        if (episode < 0)
        {
            return false;
        }

        if (options.WrongClassEpisodes.Count > 0)
        {
            return options.WrongClassEpisodes.Contains(episode);
        }

        return UnitHash(options.Seed ^ WrongClassSalt, episode) < options.WrongClassProbability;
    }

    /// <summary>
    /// A uniform number in [0, 1) from (seed, episode), the same in every run: HashCode is
    /// randomised per process, and Random's first draws from neighbouring seeds are correlated.
    /// </summary>
    private static double UnitHash(int seed, int episode)
    {
        unchecked
        {
            var z = ((ulong)seed * 0x9E3779B97F4A7C15UL) + ((ulong)episode * 0xBF58476D1CE4E5B9UL) + 0x632BE59BD9B4E019UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }

    public void Register(SignalBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _brake = bus.Register(Brake, SignalKind.Bool);
        _steer = bus.Register(Steer, SignalKind.Number);
        _truthObstacle = bus.Register(TruthObstacle, SignalKind.Bool);
        _truthMissed = bus.Register(TruthMissed, SignalKind.Bool);
        _boxes = bus.Register(Boxes, SignalKind.Detections);
        _truthBoxes = bus.Register(TruthBoxes, SignalKind.Detections);
    }

    public Task RunAsync(SignalBus bus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        Register(bus);
        return PeriodicLoop.RunAsync(TimeSpan.FromSeconds(1 / options.PublishHz), clock.TimeProvider, () => Publish(bus, clock.Now), cancellationToken);
    }

    internal void Publish(SignalBus bus, TimeSpan now)
    {
        var seen = scene.StateAt(now - options.ReactionTime);
        var truth = scene.StateAt(now);
        bus.Publish(_brake, SignalValue.FromBool(seen.ObstacleAhead && !Misses(seen.Episode)), now);
        bus.Publish(_steer, SignalValue.FromNumber((0.05 * Math.Sin(now.TotalSeconds * 0.4)) + Gaussian(options.SteerNoise)), now);
        bus.Publish(_truthObstacle, SignalValue.FromBool(truth.ObstacleAhead), now);
        bus.Publish(_truthMissed, SignalValue.FromBool(truth.ObstacleAhead && Misses(truth.Episode)), now);

        // Both perceive the frame of this instant: the controller's boxes and the truth are stamped alike.
        var visible = truth.ObstaclePresent && truth.DistanceMetres <= options.PerceptionRangeMetres;
        var box = visible ? SceneGeometry.ObstacleBox(truth.DistanceMetres) : default;
        bus.Publish(_truthBoxes, SignalValue.FromDetections(visible ? [new Detection(Car, 1f, box.X, box.Y, box.Width, box.Height)] : NoBoxes), now);
        bus.Publish(_boxes, SignalValue.FromDetections(visible && !Misses(truth.Episode) ? [Perceive(box, truth.Episode)] : NoBoxes), now);
    }

    /// <summary>The controller's view of a box: each edge moved by noise proportional to the box size, clipped to the frame.</summary>
    private Detection Perceive((float X, float Y, float Width, float Height) box, int episode)
    {
        var left = box.X + (box.Width * Gaussian(options.BoxJitter));
        var right = box.X + box.Width + (box.Width * Gaussian(options.BoxJitter));
        var top = box.Y + (box.Height * Gaussian(options.BoxJitter));
        var bottom = box.Y + box.Height + (box.Height * Gaussian(options.BoxJitter));
        left = Math.Clamp(left, 0, 1);
        top = Math.Clamp(top, 0, 1);
        right = Math.Clamp(right, left, 1);
        bottom = Math.Clamp(bottom, top, 1);
        var classId = MisclassifiesEpisode(episode) ? Pedestrian : Car;
        var score = (float)Math.Clamp(0.85 + Gaussian(0.05), 0.3, 1.0);
        return new Detection(classId, score, (float)left, (float)top, (float)(right - left), (float)(bottom - top));
    }

    private double Gaussian(double sigma)
    {
        // Box-Muller.
        var u1 = 1.0 - _noise.NextDouble();
        var u2 = _noise.NextDouble();
        return sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

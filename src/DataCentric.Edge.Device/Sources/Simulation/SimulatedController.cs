using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Device.Sources.Simulation;

/// <summary>
/// Publishes <c>primary.brake</c> and <c>primary.steer</c> decided from the scene's ground truth,
/// plus the truth about the scene and the controller's own mistakes (<c>truth.*</c>) so recorded
/// drives can score triggers.
/// </summary>
public sealed class SimulatedController(SyntheticScene scene, SimulatedControllerOptions options, MonotonicClock clock) : ISignalSource
{
    public const string Brake = "primary.brake";
    public const string Steer = "primary.steer";
    public const string TruthObstacle = "truth.obstacle";
    public const string TruthMissed = "truth.primary_missed";

    private readonly Random _noise = new(options.Seed);
    private SignalId _brake;
    private SignalId _steer;
    private SignalId _truthObstacle;
    private SignalId _truthMissed;

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
    }

    private double Gaussian(double sigma)
    {
        // Box-Muller.
        var u1 = 1.0 - _noise.NextDouble();
        var u2 = _noise.NextDouble();
        return sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

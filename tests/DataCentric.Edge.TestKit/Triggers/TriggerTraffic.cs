using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.TestKit.Triggers;

/// <summary>
/// A real trigger engine on a real signal bus and a fake clock, with one trigger per outcome, and a
/// scripted drive whose counts are known exactly: the brake goes on at 1, 3 and 5 s (three rising
/// edges) and off in between, ticking every second; <c>vehicle.speed</c> is never published.
/// </summary>
public sealed class TriggerTraffic : IDisposable
{
    /// <summary>Ticks of one <see cref="Drive"/>.</summary>
    public const int Ticks = 6;

    /// <summary>Rising edges of the brake in one <see cref="Drive"/>.</summary>
    public const int Edges = 3;

    public const string Source = """
        schemaVersion: 1
        version: 7
        triggers:
          - id: brake
            when: primary.brake
            cooldown: 10s
          - id: budget
            when: primary.brake
            cooldown: 0s
            maxPerHour: 1
          - id: sampled
            when: primary.brake
            cooldown: 0s
            sampleRate: 0.5
          - id: trial
            when: primary.brake
            cooldown: 0s
            dryRun: true
          - id: speedy
            when: vehicle.speed > 10
        """;

    private readonly SignalId _brake;
    private int _drives;

    public TriggerTraffic(DateTimeOffset? start = null)
    {
        Time = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
        Clock = new MonotonicClock(Time);
        Bus = new SignalBus(new SignalBusOptions());
        _brake = Bus.Register("primary.brake", SignalKind.Bool);
        Bus.Register("vehicle.speed", SignalKind.Number);
        var set = TriggerSetCompiler.Compile(Source, TriggerSourceFormat.Yaml, Bus.Describe()).GetSetOrThrow();

        // sampleRate 0.5 against a draw that is always 0.99: every edge of 'sampled' is sampled out.
        Engine = new TriggerEngine(set, Bus, Clock, new TriggerEngineOptions { Random = new FixedRandom(0.99) });
    }

    public FakeTimeProvider Time { get; }

    public MonotonicClock Clock { get; }

    public SignalBus Bus { get; }

    public TriggerEngine Engine { get; }

    /// <summary>
    /// Runs the script once more (each run carries on in time after the last). Per run: <c>brake</c>
    /// fires on its first run's first edge and is cooled down on every other edge; <c>budget</c>
    /// fires once ever and is over budget after; <c>sampled</c> never fires; <c>trial</c> dry-fires on
    /// every edge; <c>speedy</c> misses its signal on every tick.
    /// </summary>
    public void Drive()
    {
        var offset = _drives++ * 100.0;
        for (var second = 1; second <= Ticks; second++)
        {
            var t = TimeSpan.FromSeconds(offset + second);
            Bus.Publish(_brake, SignalValue.FromBool(second % 2 == 1), t);
            Engine.Evaluate(t);
        }
    }

    public void Dispose() => Engine.Dispose();

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;

namespace DataCentric.Edge.AotChecks;

/// <summary>
/// Every shipped example trigger set compiled and run through the engine in native code: trigger
/// conditions are LINQ expression trees, which Native AOT runs in its interpreter, so every
/// construct the examples use (held, rose, fell, since, max, disagree, count, max_score, novelty)
/// goes through it here over a scripted drive, and every example must fire where scripted.
/// </summary>
internal static class TriggerCheck
{
    private static readonly (string Name, SignalKind Kind)[] Signals =
    [
        ("shadow.obstacle", SignalKind.Number), ("shadow.steer", SignalKind.Number), ("shadow.boxes", SignalKind.Detections),
        ("shadow.embedding", SignalKind.Vector), ("primary.brake", SignalKind.Bool), ("primary.steer", SignalKind.Number),
        ("primary.engaged", SignalKind.Bool), ("primary.speed", SignalKind.Number), ("driver.override_button", SignalKind.Bool),
    ];

    // Each fires on the script below (detection_flicker's sampling is made to keep every fire).
    private static readonly string[] MustFire =
        ["missed_obstacle", "phantom_brake", "driver_intervention", "steering_disagreement", "detection_flicker", "low_confidence", "novel_scene"];

    public static Task<string?> ExamplesAsync()
    {
        var files = Directory.GetFiles(Path.Combine("firmware-config", "triggers"), "*.yaml");
        Check.That(files.Length >= MustFire.Length, $"found {files.Length} example trigger sets under {Path.GetFullPath("firmware-config/triggers")}");
        var bus = new SignalBus(new SignalBusOptions { HistoryCapacity = 300 });
        var ids = Signals.ToDictionary(s => s.Name, s => bus.Register(s.Name, s.Kind));
        var clock = new MonotonicClock(TimeProvider.System);
        var engines = files.Select(file =>
        {
            var result = TriggerSetCompiler.Compile(File.ReadAllText(file), TriggerSourceFormat.Yaml, Signals);
            Check.That(result.Succeeded, $"{file}: {string.Join("; ", result.Errors)}");
            return new TriggerEngine(result.Set!, bus, clock, new TriggerEngineOptions { Random = new KeepEverySample() });
        }).ToList();

        var fired = new HashSet<string>(StringComparer.Ordinal);
        for (var step = 0; step <= 400; step++)
        {
            var t = step * 0.05;
            var now = TimeSpan.FromSeconds(t);
            Publish(bus, ids, t, now);
            foreach (var engine in engines)
            {
                foreach (var hit in engine.Evaluate(now)?.Triggers ?? [])
                {
                    fired.Add(hit.TriggerId);
                }
            }
        }

        var missing = MustFire.Where(id => !fired.Contains(id)).ToList();
        Check.That(missing.Count == 0, $"did not fire: {string.Join(", ", missing)} (fired: {string.Join(", ", fired)})");
        return Task.FromResult<string?>(null);
    }

    /// <summary>
    /// A 20 s drive at 10 m/s: an unbraked obstacle (5 s), a phantom brake (9 s), an override (11 s),
    /// a steering split (13 s), a box that blinks out for 100 ms (16 s), weak boxes (17 s) and one
    /// frame of an unseen scene (19.5 s).
    /// </summary>
    private static void Publish(SignalBus bus, Dictionary<string, SignalId> ids, double t, TimeSpan now)
    {
        bus.Publish(ids["primary.speed"], SignalValue.FromNumber(10), now);
        bus.Publish(ids["primary.engaged"], SignalValue.FromBool(true), now);
        bus.Publish(ids["shadow.obstacle"], SignalValue.FromNumber(t is >= 5 and < 7 ? 0.9 : 0.1), now);
        bus.Publish(ids["primary.brake"], SignalValue.FromBool(t is >= 9 and < 10), now);
        bus.Publish(ids["driver.override_button"], SignalValue.FromBool(t >= 11), now);
        bus.Publish(ids["shadow.steer"], SignalValue.FromNumber(t is >= 13 and < 15 ? 0.5 : 0), now);
        bus.Publish(ids["primary.steer"], SignalValue.FromNumber(0), now);
        var score = t is >= 17 and < 18.5 ? 0.3f : 0.9f;
        var flicker = t is >= 16 and < 16.1;
        bus.Publish(ids["shadow.boxes"], SignalValue.FromDetections(flicker ? [] : [new Detection(1, score, 0.4f, 0.4f, 0.2f, 0.2f)]), now);
        float[] embedding = t is > 19.47 and < 19.53 ? [0, 0, 1] : [(float)Math.Sin(t), (float)Math.Cos(t), 0.5f];
        bus.Publish(ids["shadow.embedding"], SignalValue.FromVector(embedding), now);
    }

    /// <summary>Sampling that keeps every fire (a sampleRate below 1 would otherwise drop some at random).</summary>
    private sealed class KeepEverySample : Random
    {
        public override double NextDouble() => 0;
    }
}

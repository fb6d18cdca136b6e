using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Backtest;

namespace DataCentric.Edge.Core.Tests.Triggers;

/// <summary>
/// A generated drive at 20 Hz: an uneventful baseline (moving, steering agreed, one confident car
/// ahead, a steady scene) that a scenario overrides signal by signal as a function of time.
/// </summary>
internal sealed class SyntheticDrive
{
    private readonly Dictionary<string, Func<double, SignalValue>> _signals = new(StringComparer.Ordinal)
    {
        ["primary.speed"] = _ => SignalValue.FromNumber(12),
        ["shadow.steer"] = t => SignalValue.FromNumber(0.1 * Math.Sin(t)),
        ["primary.steer"] = t => SignalValue.FromNumber(0.1 * Math.Sin(t)),
        ["shadow.obstacle"] = _ => SignalValue.FromNumber(0.05),
        ["primary.brake"] = _ => SignalValue.FromBool(false),
        ["primary.engaged"] = _ => SignalValue.FromBool(true),
        ["driver.override_button"] = _ => SignalValue.FromBool(false),
        ["shadow.boxes"] = _ => Boxes(0.9f),
        ["primary.boxes"] = _ => Boxes(0.9f),
        ["shadow.embedding"] = t => Embedding(t, scene: 0),
    };

    public double Seconds { get; init; } = 10;

    public double Step { get; init; } = 0.05;

    public SyntheticDrive With(string signal, Func<double, SignalValue> value)
    {
        _signals[signal] = value;
        return this;
    }

    public SyntheticDrive WithNumber(string signal, Func<double, double> value) => With(signal, t => SignalValue.FromNumber(value(t)));

    public SyntheticDrive WithBool(string signal, Func<double, bool> value) => With(signal, t => SignalValue.FromBool(value(t)));

    public IEnumerable<BacktestSample> Samples()
    {
        var steps = (int)Math.Round(Seconds / Step);
        for (var i = 0; i <= steps; i++)
        {
            var t = Math.Round(i * Step, 6);
            foreach (var (name, value) in _signals)
            {
                yield return new BacktestSample(TimeSpan.FromSeconds(t), name, value(t));
            }
        }
    }

    public static SignalValue Boxes(params float[] scores) =>
        SignalValue.FromDetections([.. scores.Select((s, i) => new Detection(1, s, 0.4f + (0.3f * i), 0.5f, 0.1f, 0.1f))]);

    /// <summary>A unit vector per scene with a small deterministic wobble.</summary>
    public static SignalValue Embedding(double t, int scene)
    {
        var v = new float[8];
        v[scene] = 1;
        v[(scene + 3) % 8] = 0.05f * (float)Math.Sin(7 * t);
        return SignalValue.FromVector(v);
    }
}

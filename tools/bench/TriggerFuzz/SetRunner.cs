using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;

namespace DataCentric.Edge.Bench.TriggerFuzz;

internal enum Outcome
{
    Accepted,
    Refused,
    UnclearRefusal,
    Crash,
    Hang,
}

/// <summary>What one set did; <see cref="Error"/> only for crashes and unclear refusals.</summary>
internal readonly record struct SetResult(Outcome Outcome, Exception? Error, string? Detail, int Ticks);

/// <summary>
/// One set the way the agent takes it: <see cref="TriggerSetCompiler.Compile(string, TriggerSourceFormat, IReadOnlyList{ValueTuple{string, SignalKind}}, TriggerLimits?)"/>
/// (parse, map, bind against the device's signals, compile to delegates) and <see cref="TriggerCompileResult.GetSetOrThrow"/>,
/// then a <see cref="TriggerEngine"/> on its own <see cref="SignalBus"/> evaluating synthetic ticks with hostile values.
/// The documented refusal is a failed result (every error with a message and a document position), or
/// <see cref="TriggerSetRejectedException"/> from <c>GetSetOrThrow</c>; any other exception is a crash.
/// </summary>
internal static class SetRunner
{
    /// <summary>The fixed signal set sets are bound against: the one the shipped examples and the tests use.</summary>
    public static readonly IReadOnlyList<(string Name, SignalKind Kind)> Signals =
    [
        ("shadow.obstacle", SignalKind.Number),
        ("shadow.steering", SignalKind.Number),
        ("shadow.class", SignalKind.Text),
        ("shadow.boxes", SignalKind.Detections),
        ("shadow.embedding", SignalKind.Vector),
        ("primary.brake", SignalKind.Bool),
        ("primary.steering", SignalKind.Number),
        ("primary.class", SignalKind.Text),
        ("primary.boxes", SignalKind.Detections),
        ("primary.mode", SignalKind.Text),
        ("vehicle.speed", SignalKind.Number),
        ("gpio.driver_override", SignalKind.Bool),
    ];

    private static readonly double[] HostileNumbers =
    [
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, double.MaxValue, double.MinValue, 1e-300, 0.5, 1, 7,
    ];

    private static readonly Detection[][] HostileDetections =
    [
        [],
        [new Detection(1, 0.9f, 0.1f, 0.1f, 0.2f, 0.2f)],
        [new Detection(1, float.NaN, 0, 0, 0, 0), new Detection(-1, float.PositiveInfinity, float.NaN, -1, float.MaxValue, -5)],
        [.. Enumerable.Range(0, 300).Select(i => new Detection(i % 7, (i % 10) / 10f, i / 300f, 0.5f, 0.01f, 0.01f))],
    ];

    private static readonly float[][] HostileVectors =
    [
        [], [1, 0, 0], [0, 0, 0], [float.NaN, 1], [float.PositiveInfinity, float.NegativeInfinity], [.. Enumerable.Range(0, 512).Select(i => (float)Math.Sin(i))], [1, 0],
    ];

    private static readonly string[] HostileTexts = ["auto", "", "manual", "\0", "é😀", new string('x', 10_000)];

    public static SetResult Run(HostileInput input, int ticks, CancellationToken cancel)
    {
        try
        {
            return RunUnguarded(input, ticks, cancel);
        }
#pragma warning disable CA1031 // The bench's job: any exception the product lets out is a finding, classified here.
        catch (Exception error)
#pragma warning restore CA1031
        {
            return new SetResult(Outcome.Crash, error, null, 0);
        }
    }

    private static SetResult RunUnguarded(HostileInput input, int ticks, CancellationToken cancel)
    {
        var result = TriggerSetCompiler.Compile(input.Text, input.Format, Signals);
        CompiledTriggerSet set;
        try
        {
            set = result.GetSetOrThrow();
        }
        catch (TriggerSetRejectedException rejected)
        {
            var unclear = rejected.Errors.Count == 0
                ? "refused with no errors"
                : rejected.Errors.Where(e => string.IsNullOrWhiteSpace(e.Message) || e.Line < 1 || e.Column < 1)
                    .Select(e => $"error without a message or a document position: {e}").FirstOrDefault();
            return unclear is null ? new SetResult(Outcome.Refused, null, rejected.Errors[0].ToString(), 0) : new SetResult(Outcome.UnclearRefusal, null, unclear, 0);
        }

        var bus = new SignalBus(new SignalBusOptions());
        var ids = Signals.Select(s => bus.Register(s.Name, s.Kind)).ToArray();
        var random = new Random(unchecked((int)input.Index));
        using var engine = new TriggerEngine(set, bus, new MonotonicClock(TimeProvider.System), new TriggerEngineOptions { Random = new Random(1) });
        var now = TimeSpan.Zero;
        for (var tick = 0; tick < ticks; tick++)
        {
            if (cancel.IsCancellationRequested)
            {
                return new SetResult(Outcome.Hang, null, $"cancelled at tick {tick}", tick);
            }

            // Mostly a 30 Hz camera; sometimes a burst in the same millisecond or a long gap (staleness, windows emptied).
            now += random.Next(20) switch
            {
                0 => TimeSpan.Zero,
                1 => TimeSpan.FromSeconds(random.Next(1, 120)),
                _ => TimeSpan.FromMilliseconds(33),
            };
            for (var s = 0; s < ids.Length; s++)
            {
                if (random.Next(10) == 0)
                {
                    continue; // a signal that skips a tick (missing, then stale)
                }

                bus.Publish(ids[s], Signals[s].Kind switch
                {
                    SignalKind.Number => SignalValue.FromNumber(random.Next(3) == 0 ? HostileNumbers[random.Next(HostileNumbers.Length)] : random.NextDouble() * 10),
                    SignalKind.Bool => SignalValue.FromBool(random.Next(2) == 0),
                    SignalKind.Text => SignalValue.FromText(HostileTexts[random.Next(HostileTexts.Length)]),
                    SignalKind.Detections => SignalValue.FromDetections(HostileDetections[random.Next(HostileDetections.Length)]),
                    _ => SignalValue.FromVector(HostileVectors[random.Next(HostileVectors.Length)]),
                }, now);
            }

            _ = engine.EvaluateTick(now);
        }

        return new SetResult(Outcome.Accepted, null, null, ticks);
    }
}

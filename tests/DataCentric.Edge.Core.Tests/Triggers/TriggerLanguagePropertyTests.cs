using CsCheck;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Language.Functions;

namespace DataCentric.Edge.Core.Tests.Triggers;

/// <summary>
/// Random and hostile sources never produce anything but a validation error or a set whose
/// evaluation gives a defined answer: no exception, no hang, no allocation per tick.
/// Bounded by iteration counts so the suite stays a few seconds.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TriggerLanguagePropertyTests
{
    private static readonly string[] Tokens =
    [
        "shadow.obstacle", "primary.brake", "primary.mode", "vehicle.speed", "shadow.boxes", "primary.boxes", "shadow.embedding",
        "primary.brak", "nope", "(", ")", "(", ")", ",", "+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "=", "!", "&&",
        "and", "or", "not", "true", "false", "0", "1", "0.5", "-1", "1e308", "1e999", "99999999999999999999999999", "200ms", "2s",
        "1m", "5x", "\"auto\"", "'x", "unknown(", "#", "\n", ".", "..", "é",
        .. BuiltInFunctions.Names.Select(name => name + "("),
    ];

    private static readonly Gen<string> TokenSoup = Gen.OneOf(Tokens).Array[0, 40].Select(t => string.Join(' ', t));

    private static readonly Gen<string> CharSoup = Gen.Char["abcdefghijklmnopqrstuvwxyz._0123456789 ()<>=!+-*/,\"'#\n\t\\\u0000é😀"].Array[0, 80].Select(c => new string(c));

    [Fact]
    public void TokenSoup_CompilesOrGivesPositionedErrors_AndCompiledSetsEvaluate()
    {
        TokenSoup.Sample(CompileAndRun, iter: 3000, threads: 1);
    }

    [Fact]
    public void CharacterSoup_CompilesOrGivesPositionedErrors()
    {
        CharSoup.Sample(CompileAndRun, iter: 3000, threads: 1);
    }

    [Fact]
    public void DeepNestingAndHugeLiterals_AreRejectedWithoutCrashing()
    {
        // Every opener adds one level; the whole expression is one more: 31 openers is the deepest accepted.
        Gen.Select(Gen.OneOf(Gen.Int[1, 40], Gen.Int[40, 20_000]), Gen.OneOf("(", "not ", "-", "abs(", "held("))
            .Sample(
                (depth, opener) =>
                {
                    var (operand, closer) = opener switch
                    {
                        "(" => ("primary.brake", ")"),
                        "not " => ("primary.brake", string.Empty),
                        "held(" => ("primary.brake", ", 1s)"),
                        "-" => ("vehicle.speed", string.Empty),
                        _ => ("vehicle.speed", ")"),
                    };
                    var when = string.Concat(Enumerable.Repeat(opener, depth)) + operand + string.Concat(Enumerable.Repeat(closer, depth));
                    if (opener is "-" or "abs(")
                    {
                        when += " > 0";
                    }

                    var result = Compile(when, TriggerLimits.Default with { MaxExpressionLength = 1_000_000, MaxDocumentLength = 10_000_000 });
                    Assert.Equal(depth <= 31, result.Succeeded);
                    Assert.All(result.Errors, e => Assert.Contains("nested deeper than 32", e.Message, StringComparison.Ordinal));
                    if (!result.Succeeded)
                    {
                        AssertPositionedErrors(result, when);
                    }
                },
                iter: 60,
                threads: 1);

        Gen.Char['0', '9'].Array[1, 2000].Select(c => new string(c))
            .Sample(digits => CompileAndRun($"vehicle.speed > {digits}"), iter: 200, threads: 1);
    }

    [Fact]
    public void WellTypedConditions_AlwaysCompile_AndEvaluateToABoolOnAnyInputs()
    {
        var values = Gen.OneOf(Gen.Double, Gen.OneOf(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, double.MaxValue));
        Gen.Select(Condition(4), values.Array[24, 24])
            .Sample(
                (when, inputs) =>
                {
                    var result = Compile(when);
                    Assert.True(result.Succeeded, when + "\n" + string.Join("\n", result.Errors));
                    var rig = new TriggerRig();
                    var engine = rig.Engine(result.Set!);
                    for (var tick = 0; tick < 12; tick++)
                    {
                        var t = tick * 0.1;
                        rig.Number("shadow.obstacle", inputs[tick * 2], t);
                        rig.Number("vehicle.speed", inputs[(tick * 2) + 1], t);
                        rig.Bool("primary.brake", inputs[tick] > 0, t);
                        _ = engine.EvaluateTick(TimeSpan.FromSeconds(t));
                    }

                    var counters = TriggerRig.Counters(engine);
                    Assert.Equal(12, counters.Evaluations);
                    Assert.Equal(0, counters.MissingSignal);

                    // Memory stays flat: with fires excluded (they allocate the event), ticks allocate
                    // nothing; a per-tick allocation would be at least 24 B a tick, well above 12.
                    const int QuietTicks = 1000;
                    var quiet = rig.Engine(Compile($"({when}) and false").Set!);
                    Assert.True(rig.Bus.TryGetId("shadow.obstacle", out var obstacle));
                    Assert.True(rig.Bus.TryGetId("vehicle.speed", out var speed));
                    Assert.True(rig.Bus.TryGetId("primary.brake", out var brake));
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (var tick = 0; tick < QuietTicks; tick++)
                    {
                        var now = TimeSpan.FromSeconds(1.2 + (tick * 0.05));
                        rig.Bus.Publish(obstacle, SignalValue.FromNumber(inputs[tick % inputs.Length]), now);
                        rig.Bus.Publish(speed, SignalValue.FromNumber(inputs[(tick + 1) % inputs.Length]), now);
                        rig.Bus.Publish(brake, SignalValue.FromBool(tick % 3 == 0), now);
                        _ = quiet.EvaluateTick(now);
                    }

                    Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, QuietTicks * 12);
                    Assert.Equal(0, TriggerRig.Counters(quiet).MissingSignal);
                },
                iter: 400,
                threads: 1);
    }

    /// <summary>Random well-typed conditions over numbers and bools, with temporal operators mixed in.</summary>
    private static Gen<string> Condition(int depth)
    {
        var number = Number(depth);
        var comparison = Gen.Select(number, Gen.OneOf("<", "<=", ">", ">=", "==", "!="), number, (a, op, b) => $"{a} {op} {b}");
        if (depth == 0)
        {
            return Gen.OneOf(comparison, Gen.OneOf("primary.brake", "true", "false"));
        }

        var inner = Condition(depth - 1);
        return Gen.Frequency(
            (4, comparison),
            (1, Gen.Const("primary.brake")),
            (2, Gen.Select(inner, Gen.OneOf("and", "or"), inner, (a, op, b) => $"({a} {op} {b})")),
            (1, inner.Select(a => $"not ({a})")),
            (1, inner.Select(a => $"held({a}, 200ms)")),
            (1, inner.Select(a => $"rose({a})")),
            (1, inner.Select(a => $"fell({a})")),
            (1, inner.Select(a => $"since({a}) < 300ms")));
    }

    private static Gen<string> Number(int depth)
    {
        var leaf = Gen.OneOf("shadow.obstacle", "vehicle.speed", "0", "1", "0.5", "1e300", "mean(vehicle.speed, 1s)", "delta(shadow.obstacle, 500ms)", "max(vehicle.speed, 2s)");
        if (depth == 0)
        {
            return leaf;
        }

        var inner = Number(depth - 1);
        return Gen.Frequency(
            (3, leaf),
            (2, Gen.Select(inner, Gen.OneOf("+", "-", "*", "/"), inner, (a, op, b) => $"({a} {op} {b})")),
            (1, inner.Select(a => $"abs({a})")),
            (1, inner.Select(a => $"-{a}")),
            (1, Gen.Select(inner, inner, (a, b) => $"min({a}, {b})")),
            (1, Gen.Select(inner, inner, inner, (a, b, c) => $"clamp({a}, {b}, {c})")));
    }

    private static TriggerCompileResult Compile(string when, TriggerLimits? limits = null) =>
        TriggerSetCompiler.Compile(TriggerRig.OneTrigger(when), TriggerSourceFormat.Yaml, TriggerRig.StandardSignals, limits);

    private static void CompileAndRun(string when)
    {
        var result = Compile(when);
        if (!result.Succeeded)
        {
            AssertPositionedErrors(result, when);
            return;
        }

        var rig = new TriggerRig();
        var engine = rig.Engine(result.Set!);
        for (var tick = 0; tick < 5; tick++)
        {
            var t = tick * 0.1;
            rig.Number("shadow.obstacle", tick == 2 ? double.NaN : tick, t);
            rig.Number("vehicle.speed", tick == 3 ? double.PositiveInfinity : 0, t);
            rig.Bool("primary.brake", tick % 2 == 0, t);
            rig.Text("primary.mode", "auto", t);
            rig.Publish("shadow.boxes", SignalValue.FromDetections([new Detection(1, float.NaN, 0, 0, 0, 0)]), t);
            rig.Publish("primary.boxes", SignalValue.FromDetections([]), t);
            rig.Publish("shadow.embedding", SignalValue.FromVector(tick == 1 ? [] : [float.NaN, 1]), t);
            _ = engine.EvaluateTick(TimeSpan.FromSeconds(t));
        }
    }

    /// <summary>
    /// Every error has a message and a real place in the document: positions are 1-based and 0 means
    /// "unknown", which is no position at all. One inside the expression has a place there as well,
    /// one outside it has none.
    /// </summary>
    private static void AssertPositionedErrors(TriggerCompileResult result, string when)
    {
        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.True(e.Line >= 1 && e.Column >= 1, $"no position in the document: {e}\nwhen: {when}");
            Assert.True(
                (e.ExpressionLine >= 1 && e.ExpressionColumn >= 1) || (e.ExpressionLine == 0 && e.ExpressionColumn == 0),
                $"half a position in the expression: {e}\nwhen: {when}");
        });
    }
}

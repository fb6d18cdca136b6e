using System.Globalization;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Benchmarks;

/// <summary>
/// 100 triggers of realistic shape over 200 signals (180 numbers, 20 bools), written once per
/// dialect: our trigger language, NCalc, DynamicExpresso (C# syntax) and hand-written lambdas.
/// Values wander within ranges where conditions hold steady, as on most real ticks.
/// </summary>
internal static class TriggerWorkload
{
    public const int Numbers = 180;
    public const int Bools = 20;
    public const int Triggers = 100;

    public static string NumberName(int i) => $"sig.n{i:000}";

    public static string BoolName(int i) => $"sig.b{i:00}";

    public static IReadOnlyList<(string Name, SignalKind Kind)> Signals =>
        [.. Enumerable.Range(0, Numbers).Select(i => (NumberName(i), SignalKind.Number)), .. Enumerable.Range(0, Bools).Select(i => (BoolName(i), SignalKind.Bool))];

    public static double NumberValue(int i, long tick) => 0.2 + (0.01 * ((i + tick) % 10));

    public static bool BoolValue(int i, long tick) => false;

    /// <summary>Signal indexes of trigger <paramref name="t"/>: three numbers and two bools.</summary>
    public static (int N0, int N1, int N2, int B0, int B1) Operands(int t) =>
        ((t * 7) % Numbers, ((t * 7) + 1) % Numbers, ((t * 13) + 5) % Numbers, t % Bools, (t + 7) % Bools);

    /// <summary>Stateless shapes, in our language.</summary>
    public static string Stateless(int t)
    {
        var (n0, n1, n2, b0, b1) = Operands(t);
        string N(int i) => NumberName(i);
        string B(int i) => BoolName(i);
        return (t % 5) switch
        {
            0 => $"{N(n0)} > 0.5 and not {B(b0)}",
            1 => $"abs({N(n0)} - {N(n1)}) > 0.2 and {N(n2)} > 2",
            2 => $"{N(n0)} * 2 + {N(n1)} < 10 or {B(b0)}",
            3 => $"max({N(n0)}, {N(n1)}) > 0.8 and {N(n2)} < 30",
            _ => $"{N(n0)} >= 1 and {N(n1)} <= 3 and not ({B(b0)} or {B(b1)})",
        };
    }

    /// <summary>The realistic set: 70 stateless triggers and 30 with temporal operators.</summary>
    public static string Realistic(int t)
    {
        if (t % 10 < 7)
        {
            return Stateless(t);
        }

        var (n0, n1, n2, b0, _) = Operands(t);
        string N(int i) => NumberName(i);
        string B(int i) => BoolName(i);
        return (t % 5) switch
        {
            0 => $"held({N(n0)} > 0.5 and not {B(b0)}, 200ms)",
            1 => $"rose({B(b0)}) and max({N(n0)}, 1s) < 0.2",
            2 => $"disagree({N(n0)}, {N(n1)}, 0.15, 300ms) and {N(n2)} > 2",
            3 => $"mean({N(n0)}, 2s) > 0.7",
            _ => $"since({B(b0)}) < 500ms and {N(n0)} > 0.5",
        };
    }

    /// <summary>The stateless shapes in NCalc syntax; parameters are the signal names in brackets.</summary>
    public static string NCalc(int t)
    {
        var (n0, n1, n2, b0, b1) = Operands(t);
        string N(int i) => $"[{NumberName(i)}]";
        string B(int i) => $"[{BoolName(i)}]";
        return (t % 5) switch
        {
            0 => $"{N(n0)} > 0.5 and not {B(b0)}",
            1 => $"Abs({N(n0)} - {N(n1)}) > 0.2 and {N(n2)} > 2",
            2 => $"{N(n0)} * 2 + {N(n1)} < 10 or {B(b0)}",
            3 => $"Max({N(n0)}, {N(n1)}) > 0.8 and {N(n2)} < 30",
            _ => $"{N(n0)} >= 1 and {N(n1)} <= 3 and not ({B(b0)} or {B(b1)})",
        };
    }

    /// <summary>The stateless shapes in C# over one array <c>v</c>: numbers first, then bools as 1/0.</summary>
    public static string CSharp(int t)
    {
        var (n0, n1, n2, b0, b1) = Operands(t);
        string N(int i) => $"v[{i.ToString(CultureInfo.InvariantCulture)}]";
        string B(int i) => $"(v[{(Numbers + i).ToString(CultureInfo.InvariantCulture)}] != 0)";
        return (t % 5) switch
        {
            0 => $"{N(n0)} > 0.5 && !{B(b0)}",
            1 => $"Math.Abs({N(n0)} - {N(n1)}) > 0.2 && {N(n2)} > 2",
            2 => $"{N(n0)} * 2 + {N(n1)} < 10 || {B(b0)}",
            3 => $"Math.Max({N(n0)}, {N(n1)}) > 0.8 && {N(n2)} < 30",
            _ => $"{N(n0)} >= 1 && {N(n1)} <= 3 && !({B(b0)} || {B(b1)})",
        };
    }

    /// <summary>The floor: what a developer would write by hand, one closure per trigger.</summary>
    public static Func<double[], bool> Lambda(int t)
    {
        var (n0, n1, n2, b0, b1) = Operands(t);
        var (c0, c1) = (Numbers + b0, Numbers + b1);
        return (t % 5) switch
        {
            0 => v => v[n0] > 0.5 && v[c0] == 0,
            1 => v => Math.Abs(v[n0] - v[n1]) > 0.2 && v[n2] > 2,
            2 => v => (v[n0] * 2) + v[n1] < 10 || v[c0] != 0,
            3 => v => Math.Max(v[n0], v[n1]) > 0.8 && v[n2] < 30,
            _ => v => v[n0] >= 1 && v[n1] <= 3 && !(v[c0] != 0 || v[c1] != 0),
        };
    }

    /// <summary>Hand-written lambdas that read the bus themselves, as agent code without an engine would.</summary>
    public static Func<SignalBus, SignalId[], bool> BusLambda(int t)
    {
        var (n0, n1, n2, b0, b1) = Operands(t);
        var (c0, c1) = (Numbers + b0, Numbers + b1);
        static double V(SignalBus bus, SignalId id) => bus.TryGetLatest(id, out var s) ? s.Value.Number : double.NaN;
        return (t % 5) switch
        {
            0 => (bus, ids) => V(bus, ids[n0]) > 0.5 && V(bus, ids[c0]) == 0,
            1 => (bus, ids) => Math.Abs(V(bus, ids[n0]) - V(bus, ids[n1])) > 0.2 && V(bus, ids[n2]) > 2,
            2 => (bus, ids) => (V(bus, ids[n0]) * 2) + V(bus, ids[n1]) < 10 || V(bus, ids[c0]) != 0,
            3 => (bus, ids) => Math.Max(V(bus, ids[n0]), V(bus, ids[n1])) > 0.8 && V(bus, ids[n2]) < 30,
            _ => (bus, ids) => V(bus, ids[n0]) >= 1 && V(bus, ids[n1]) <= 3 && !(V(bus, ids[c0]) != 0 || V(bus, ids[c1]) != 0),
        };
    }
}

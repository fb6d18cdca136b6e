using System.Text;
using BenchmarkDotNet.Attributes;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;
using DynamicExpresso;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Benchmarks;

/// <summary>
/// One tick = update 200 signals and evaluate 100 triggers. The array-based peers update a
/// double[] (or NCalc's parameter dictionary); the engine's input is the real signal bus, so
/// <see cref="BusPublishOnly"/> shows how much of its tick is publishing.
/// Run: dotnet run -c Release --project tests/DataCentric.Edge.Benchmarks -- --filter '*' --job short
/// </summary>
[MemoryDiagnoser]
public class TickBenchmarks
{
    private readonly double[] _values = new double[TriggerWorkload.Numbers + TriggerWorkload.Bools];
    private Func<double[], bool>[] _lambdas = [];
    private Func<double[], bool>[] _dynamicExpresso = [];
    private Func<SignalBus, SignalId[], bool>[] _busLambdas = [];
    private NCalc.Expression[] _ncalc = [];
    private string[][] _ncalcNames = [];
    private Dictionary<string, object?> _ncalcValues = [];
    private SignalBus _bus = null!;
    private SignalId[] _ids = [];
    private TriggerEngine _stateless = null!;
    private TriggerEngine _realistic = null!;
    private readonly string[] _names = [.. TriggerWorkload.Signals.Select(s => s.Name)];
    private long _tick;

    [GlobalSetup]
    public void Setup()
    {
        _lambdas = [.. Enumerable.Range(0, TriggerWorkload.Triggers).Select(TriggerWorkload.Lambda)];
        _busLambdas = [.. Enumerable.Range(0, TriggerWorkload.Triggers).Select(TriggerWorkload.BusLambda)];
        var interpreter = new Interpreter();
        _dynamicExpresso = [.. Enumerable.Range(0, TriggerWorkload.Triggers).Select(t => interpreter.ParseAsDelegate<Func<double[], bool>>(TriggerWorkload.CSharp(t), "v"))];
        _ncalcValues = TriggerWorkload.Signals.ToDictionary(s => s.Name, s => (object?)(s.Kind == SignalKind.Bool ? false : 0.0), StringComparer.Ordinal);
        _ncalc = [.. Enumerable.Range(0, TriggerWorkload.Triggers).Select(t => new NCalc.Expression(TriggerWorkload.NCalc(t)))];
        _ncalcNames = [.. Enumerable.Range(0, TriggerWorkload.Triggers).Select(t => TriggerWorkload.Signals.Select(s => s.Name).Where(n => TriggerWorkload.NCalc(t).Contains($"[{n}]", StringComparison.Ordinal)).ToArray())];

        _bus = new SignalBus(new SignalBusOptions());
        _ids = [.. TriggerWorkload.Signals.Select(s => _bus.Register(s.Name, s.Kind))];
        var clock = new MonotonicClock(TimeProvider.System);
        _stateless = new TriggerEngine(Compile(TriggerWorkload.Stateless), _bus, clock);
        _realistic = new TriggerEngine(Compile(TriggerWorkload.Realistic), _bus, clock);

        // Every peer must agree on the stateless set before its speed means anything.
        UpdateArray();
        SetNCalcParameters(_tick);
        for (var t = 0; t < TriggerWorkload.Triggers; t++)
        {
            var expected = _lambdas[t](_values);
            if (_dynamicExpresso[t](_values) != expected || (bool)_ncalc[t].Evaluate()! != expected)
            {
                throw new InvalidOperationException($"Peers disagree on trigger {t}.");
            }
        }

        // First ticks fire the conditions that start true; measure the steady state after them.
        for (var i = 0; i < 50; i++)
        {
            EngineStateless();
            EngineRealistic();
        }
    }

    [Benchmark(Baseline = true)]
    public int LambdasOverArray()
    {
        UpdateArray();
        var count = 0;
        foreach (var lambda in _lambdas)
        {
            count += lambda(_values) ? 1 : 0;
        }

        return count;
    }

    [Benchmark]
    public int DynamicExpressoOverArray()
    {
        UpdateArray();
        var count = 0;
        foreach (var compiled in _dynamicExpresso)
        {
            count += compiled(_values) ? 1 : 0;
        }

        return count;
    }

    [Benchmark]
    public int NCalcOverParameters()
    {
        SetNCalcParameters(++_tick);
        var count = 0;
        foreach (var expression in _ncalc)
        {
            count += expression.Evaluate() is true ? 1 : 0;
        }

        return count;
    }

    [Benchmark]
    public void BusPublishOnly() => Publish();

    [Benchmark]
    public int LambdasOverBus()
    {
        Publish();
        var count = 0;
        foreach (var lambda in _busLambdas)
        {
            count += lambda(_bus, _ids) ? 1 : 0;
        }

        return count;
    }

    [Benchmark]
    public bool EngineStateless()
    {
        var now = Publish();
        return _stateless.Evaluate(now) is not null;
    }

    /// <summary>The snapshot's floor: read the latest sample of all 200 signals from the bus once.</summary>
    [Benchmark]
    public double BusReadAll()
    {
        double sum = 0;
        foreach (var id in _ids)
        {
            if (_bus.TryGetLatest(id, out var sample))
            {
                sum += sample.Value.Number;
            }
        }

        return sum;
    }

    /// <summary>The engine's own share: snapshot 200 signals from the bus and evaluate, no publishing.</summary>
    [Benchmark]
    public bool EngineStatelessNoPublish() => _stateless.Evaluate(TimeSpan.FromMilliseconds(_tick * 20)) is not null;

    [Benchmark]
    public bool EngineRealistic()
    {
        var now = Publish();
        return _realistic.Evaluate(now) is not null;
    }

    private static CompiledTriggerSet Compile(Func<int, string> expression)
    {
        var yaml = new StringBuilder("schemaVersion: 1\nversion: 1\ntriggers:\n");
        for (var t = 0; t < TriggerWorkload.Triggers; t++)
        {
            yaml.Append("  - id: t").Append(t).Append("\n    cooldown: 0s\n    when: '").Append(expression(t)).Append("'\n");
        }

        return TriggerSetCompiler.Compile(yaml.ToString(), TriggerSourceFormat.Yaml, TriggerWorkload.Signals, TriggerLimits.Default with { MaxTriggers = TriggerWorkload.Triggers })
            .GetSetOrThrow();
    }

    /// <summary>NCalc reads boxed parameters from each expression's own dictionary.</summary>
    private void SetNCalcParameters(long tick)
    {
        for (var i = 0; i < TriggerWorkload.Numbers; i++)
        {
            _ncalcValues[_names[i]] = TriggerWorkload.NumberValue(i, tick);
        }

        for (var i = 0; i < TriggerWorkload.Bools; i++)
        {
            _ncalcValues[_names[TriggerWorkload.Numbers + i]] = TriggerWorkload.BoolValue(i, tick);
        }

        for (var t = 0; t < _ncalc.Length; t++)
        {
            foreach (var name in _ncalcNames[t])
            {
                _ncalc[t].Parameters[name] = _ncalcValues[name];
            }
        }
    }

    private void UpdateArray()
    {
        var tick = ++_tick;
        for (var i = 0; i < TriggerWorkload.Numbers; i++)
        {
            _values[i] = TriggerWorkload.NumberValue(i, tick);
        }

        for (var i = 0; i < TriggerWorkload.Bools; i++)
        {
            _values[TriggerWorkload.Numbers + i] = TriggerWorkload.BoolValue(i, tick) ? 1 : 0;
        }
    }

    /// <summary>Publishes every signal at the next 20 ms tick; returns that tick's time.</summary>
    private TimeSpan Publish()
    {
        var tick = ++_tick;
        var now = TimeSpan.FromMilliseconds(tick * 20);
        for (var i = 0; i < TriggerWorkload.Numbers; i++)
        {
            _bus.Publish(_ids[i], SignalValue.FromNumber(TriggerWorkload.NumberValue(i, tick)), now);
        }

        for (var i = 0; i < TriggerWorkload.Bools; i++)
        {
            _bus.Publish(_ids[TriggerWorkload.Numbers + i], SignalValue.FromBool(TriggerWorkload.BoolValue(i, tick)), now);
        }

        return now;
    }
}

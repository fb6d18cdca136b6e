using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;
using Microsoft.Extensions.Time.Testing;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Core.Tests.Triggers;

/// <summary>A real signal bus with the signals the examples use, and helpers to publish at chosen times.</summary>
internal sealed class TriggerRig
{
    public static readonly IReadOnlyList<(string Name, SignalKind Kind)> StandardSignals =
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

        // What the shipped board configs publish (firmware-config/*/appsettings.*.json), as the examples read them.
        ("shadow.steer", SignalKind.Number),
        ("primary.steer", SignalKind.Number),
        ("primary.speed", SignalKind.Number),
        ("primary.engaged", SignalKind.Bool),
        ("driver.override_button", SignalKind.Bool),
    ];

    public TriggerRig(int historyCapacity = 300)
    {
        Bus = new SignalBus(new SignalBusOptions { HistoryCapacity = historyCapacity });
        foreach (var (name, kind) in StandardSignals)
        {
            Bus.Register(name, kind);
        }

        Clock = new MonotonicClock(new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero)));
    }

    public SignalBus Bus { get; }

    public MonotonicClock Clock { get; }

    public static CompiledTriggerSet Compile(string yaml, TriggerLimits? limits = null)
    {
        var result = TriggerSetCompiler.Compile(yaml, TriggerSourceFormat.Yaml, StandardSignals, limits);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Set!;
    }

    /// <summary>A one-trigger set; settings are extra YAML lines of the trigger.</summary>
    public static string OneTrigger(string when, string settings = "cooldown: 0s", int version = 1, string id = "t") => $"""
        schemaVersion: 1
        version: {version}
        triggers:
          - id: {id}
            when: '{when.Replace("'", "''", StringComparison.Ordinal)}'
            {settings.Replace("\n", "\n    ", StringComparison.Ordinal)}
        """;

    public TriggerEngine Engine(CompiledTriggerSet set, TriggerEngineOptions? options = null) => new(set, Bus, Clock, options);

    public TriggerEngine Engine(string when, string settings = "cooldown: 0s") => Engine(Compile(OneTrigger(when, settings)));

    public void Number(string name, double value, double seconds) => Publish(name, SignalValue.FromNumber(value), seconds);

    public void Bool(string name, bool value, double seconds) => Publish(name, SignalValue.FromBool(value), seconds);

    public void Text(string name, string value, double seconds) => Publish(name, SignalValue.FromText(value), seconds);

    public void Publish(string name, SignalValue value, double seconds)
    {
        Assert.True(Bus.TryGetId(name, out var id), name);
        Bus.Publish(id, value, TimeSpan.FromSeconds(seconds));
    }

    /// <summary>Ticks from <paramref name="from"/> to <paramref name="to"/> every <paramref name="step"/> seconds, calling <paramref name="publish"/> first; returns the events.</summary>
    public static List<TriggerEvent> Run(TriggerEngine engine, double from, double to, double step, Action<double> publish)
    {
        var events = new List<TriggerEvent>();
        for (var i = 0; ; i++)
        {
            var t = Math.Round(from + (i * step), 6);
            if (t > to + 1e-9)
            {
                return events;
            }

            publish(t);
            if (engine.Evaluate(TimeSpan.FromSeconds(t)) is { } e)
            {
                events.Add(e);
            }
        }
    }

    public static TriggerCounters Counters(TriggerEngine engine, string id = "t") => engine.GetCounters().Single(c => c.TriggerId == id);
}

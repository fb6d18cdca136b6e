using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;

namespace DataCentric.Edge.Core.Tests.Triggers;

[Trait("Category", "Unit")]
public sealed class TriggerEngineTests
{
    private const string SkeletonWhen = "held(shadow.obstacle > 0.5 and not primary.brake, 200ms)";

    private readonly TriggerRig _rig = new();

    [Fact]
    public void SkeletonTrigger_FiresOnceAfterConditionHeld200ms()
    {
        var engine = _rig.Engine(SkeletonWhen, "cooldown: 5s\npre: 3s\npost: 2s\npriority: 4");

        // Obstacle seen from t=1.0 s, no braking, 50 ms ticks until t=2.0 s.
        var events = TriggerRig.Run(engine, 0, 2.0, 0.05, t =>
        {
            _rig.Number("shadow.obstacle", t >= 1.0 ? 0.9 : 0.1, t);
            _rig.Bool("primary.brake", false, t);
        });

        var fired = Assert.Single(events);
        Assert.Equal(TimeSpan.FromSeconds(1.2), fired.Time);
        var hit = Assert.Single(fired.Triggers);
        Assert.Equal(("t", SkeletonWhen, 4, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)), (hit.TriggerId, hit.Expression, hit.Priority, hit.Pre, hit.Post));
        Assert.Equal(1, fired.TriggerSetVersion);
        Assert.False(fired.DryRun);
        Assert.Equal(_rig.Clock.ToWallClock(fired.Time), fired.WallClock);
    }

    [Fact]
    public void SkeletonTrigger_BrakingWithinTheHoldTime_DoesNotFire()
    {
        var engine = _rig.Engine(SkeletonWhen);

        var events = TriggerRig.Run(engine, 0, 2.0, 0.05, t =>
        {
            _rig.Number("shadow.obstacle", t >= 1.0 ? 0.9 : 0.1, t);
            _rig.Bool("primary.brake", t >= 1.1, t);
        });

        Assert.Empty(events);
    }

    [Fact]
    public void Cooldown_SuppressesFiresWithinIt_AndCountsThem()
    {
        var engine = _rig.Engine(SkeletonWhen, "cooldown: 5s");

        // The obstacle flickers: the condition is held for 300 ms out of every second, for 10 s.
        var events = TriggerRig.Run(engine, 0, 10, 0.05, t =>
        {
            _rig.Number("shadow.obstacle", t % 1.0 < 0.3 ? 0.9 : 0.1, t);
            _rig.Bool("primary.brake", false, t);
        });

        Assert.Equal([0.2, 5.2], events.Select(e => Math.Round(e.Time.TotalSeconds, 3)));
        var counters = TriggerRig.Counters(engine);
        Assert.Equal(10, counters.RisingEdges);
        Assert.Equal(2, counters.Fires);
        Assert.Equal(8, counters.SuppressedCooldown);
        Assert.Equal(201, counters.Evaluations);
    }

    [Fact]
    public void RisingEdgeOnly_AConditionStayingTrue_FiresOnce()
    {
        var engine = _rig.Engine("vehicle.speed > 10");

        var events = TriggerRig.Run(engine, 0, 3, 0.1, t => _rig.Number("vehicle.speed", t < 1 ? 5 : 20, t));

        Assert.Single(events);
        Assert.Equal(TimeSpan.FromSeconds(1), events[0].Time);
    }

    [Fact]
    public void NeverPublishedSignal_DoesNotFire_AndIsCountedAsMissing()
    {
        var engine = _rig.Engine("shadow.obstacle > 0.5 and not primary.brake");

        var events = TriggerRig.Run(engine, 0, 1, 0.1, t => _rig.Number("shadow.obstacle", 0.9, t));

        Assert.Empty(events);
        var counters = TriggerRig.Counters(engine);
        Assert.Equal(11, counters.MissingSignal);
        Assert.Equal(11, counters.Evaluations);
    }

    [Fact]
    public void StaleSignal_DoesNotFire_UntilFreshAgain()
    {
        var engine = _rig.Engine("shadow.obstacle > 0.5 and not primary.brake");
        _rig.Bool("primary.brake", false, 0);

        // Brake published only at t=0; default staleness is 1 s, so from t=1.1 it is stale.
        var events = TriggerRig.Run(engine, 1.1, 2, 0.1, t => _rig.Number("shadow.obstacle", 0.9, t));
        Assert.Empty(events);
        Assert.Equal(10, TriggerRig.Counters(engine).MissingSignal);

        // Fresh again once a frame after the new brake sample has been through the model.
        _rig.Bool("primary.brake", false, 2.1);
        _rig.Number("shadow.obstacle", 0.9, 2.1);
        Assert.NotNull(engine.Evaluate(TimeSpan.FromSeconds(2.1)));
    }

    [Fact]
    public void SignalMissingMidway_RestartsHeldTiming()
    {
        var set = TriggerRig.Compile(TriggerRig.OneTrigger("held(shadow.obstacle > 0.5, 1s)", "cooldown: 0s") + "\nstaleAfter: 200ms\n");
        var engine = _rig.Engine(set);

        // Published t=0..0.6, gap until 1.0 (stale from 0.8), then again; held restarts at 1.0.
        var events = TriggerRig.Run(engine, 0, 2.5, 0.1, t =>
        {
            if (t <= 0.6 || t >= 1.0)
            {
                _rig.Number("shadow.obstacle", 0.9, t);
            }
        });

        Assert.Equal([2.0], events.Select(e => Math.Round(e.Time.TotalSeconds, 3)));
    }

    [Fact]
    public void TriggersFiringOnTheSameTick_AreMergedIntoOneEvent()
    {
        var set = TriggerRig.Compile("""
            schemaVersion: 1
            version: 3
            triggers:
              - id: fast
                when: vehicle.speed > 30
                priority: 1
                pre: 1s
                post: 8s
              - id: braking
                when: primary.brake
                priority: 7
                pre: 4s
                post: 2s
              - id: unrelated
                when: shadow.obstacle > 0.5
            """);
        var engine = _rig.Engine(set);
        _rig.Number("vehicle.speed", 40, 1);
        _rig.Bool("primary.brake", true, 1);
        _rig.Number("shadow.obstacle", 0.1, 1);

        var fired = engine.Evaluate(TimeSpan.FromSeconds(1));

        Assert.NotNull(fired);
        Assert.Equal(["fast", "braking"], fired.Triggers.Select(h => h.TriggerId));
        Assert.Equal(7, fired.Priority);
        Assert.Equal(TimeSpan.FromSeconds(4), fired.Pre);
        Assert.Equal(TimeSpan.FromSeconds(8), fired.Post);
        Assert.Equal(3, fired.TriggerSetVersion);
    }

    [Fact]
    public void RoseAndFell_FireOnTheChangeOnly()
    {
        var set = TriggerRig.Compile("""
            schemaVersion: 1
            version: 1
            triggers:
              - id: pressed
                when: rose(primary.brake)
                cooldown: 0s
              - id: released
                when: fell(primary.brake)
                cooldown: 0s
            """);
        var engine = _rig.Engine(set);
        bool[] brake = [true, true, false, false, true, true, false];
        var log = new List<string>();

        for (var i = 0; i < brake.Length; i++)
        {
            _rig.Bool("primary.brake", brake[i], i * 0.1);
            if (engine.Evaluate(TimeSpan.FromSeconds(i * 0.1)) is { } e)
            {
                log.Add($"{i}:{string.Join('+', e.Triggers.Select(h => h.TriggerId))}");
            }
        }

        // The first tick only learns the level: a brake already pressed at start is not a press.
        Assert.Equal(["2:released", "4:pressed", "6:released"], log);
    }

    [Fact]
    public void DisabledTrigger_IsNotEvaluated()
    {
        var engine = _rig.Engine("vehicle.speed > 10", "enabled: false");
        _rig.Number("vehicle.speed", 20, 1);

        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(1)));
        Assert.Equal(0, TriggerRig.Counters(engine).Evaluations);
    }

    [Fact]
    public void DryRunTrigger_IsCountedAndReportedSeparately_NotRecorded()
    {
        var set = TriggerRig.Compile("""
            schemaVersion: 1
            version: 1
            triggers:
              - id: real
                when: vehicle.speed > 10
              - id: trial
                when: vehicle.speed > 10
                dryRun: true
            """);
        var engine = _rig.Engine(set);
        _rig.Number("vehicle.speed", 20, 1);

        var tick = engine.EvaluateTick(TimeSpan.FromSeconds(1));

        Assert.Equal(["real"], tick.Event!.Triggers.Select(h => h.TriggerId));
        Assert.False(tick.Event.DryRun);
        Assert.Equal(["trial"], tick.DryRunEvent!.Triggers.Select(h => h.TriggerId));
        Assert.True(tick.DryRunEvent.DryRun);
        Assert.Equal(1, TriggerRig.Counters(engine, "trial").DryRunFires);
    }

    [Fact]
    public void Evaluate_WithOnlyDryRunFires_ReturnsNoEventToRecord()
    {
        var engine = _rig.Engine("vehicle.speed > 10", "dryRun: true");
        _rig.Number("vehicle.speed", 20, 1);

        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(1)));
        Assert.Equal(1, TriggerRig.Counters(engine).Fires);
    }

    [Fact]
    public void Activate_NewerSet_SwapsAndKeepsCountersOfUnchangedTriggers()
    {
        var engine = _rig.Engine(TriggerRig.Compile(TriggerRig.OneTrigger("vehicle.speed > 10", id: "fast")));
        TriggerRig.Run(engine, 0, 1, 0.5, t => _rig.Number("vehicle.speed", t >= 0.5 ? 20 : 0, t));
        Assert.Equal(1, TriggerRig.Counters(engine, "fast").Fires);

        engine.Activate(TriggerRig.Compile("""
            schemaVersion: 1
            version: 2
            triggers:
              - id: fast
                when: vehicle.speed > 10
              - id: braking
                when: primary.brake
            """));

        Assert.Equal(2, engine.ActiveSet.Version);
        Assert.Equal(3, TriggerRig.Counters(engine, "fast").Evaluations);
        Assert.Equal(0, TriggerRig.Counters(engine, "braking").Evaluations);

        // State carried over: speed still high, so no new rising edge for 'fast'.
        _rig.Number("vehicle.speed", 25, 1.5);
        _rig.Bool("primary.brake", true, 1.5);
        var fired = engine.Evaluate(TimeSpan.FromSeconds(1.5));
        Assert.Equal(["braking"], fired!.Triggers.Select(h => h.TriggerId));
        Assert.Equal(2, fired.TriggerSetVersion);
    }

    [Fact]
    public void Activate_KeepsCooldownOfATriggerWhoseIdStays_EvenWhenItsConditionChanges()
    {
        var engine = _rig.Engine(TriggerRig.Compile(TriggerRig.OneTrigger("vehicle.speed > 10", "cooldown: 10s")));
        _rig.Number("vehicle.speed", 20, 1);
        Assert.NotNull(engine.Evaluate(TimeSpan.FromSeconds(1)));

        engine.Activate(TriggerRig.Compile(TriggerRig.OneTrigger("vehicle.speed > 15", "cooldown: 10s", version: 2)));
        _rig.Number("vehicle.speed", 20, 2);

        // New condition, so new state: its first true tick is an edge, but the cooldown still runs.
        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(2)));
        Assert.Equal(1, TriggerRig.Counters(engine).SuppressedCooldown);
    }

    [Fact]
    public void Activate_ChangedCondition_StartsTemporalStateOver()
    {
        var engine = _rig.Engine(TriggerRig.Compile(TriggerRig.OneTrigger("held(primary.brake, 1s)")));
        TriggerRig.Run(engine, 0, 0.8, 0.1, t => _rig.Bool("primary.brake", true, t));

        engine.Activate(TriggerRig.Compile(TriggerRig.OneTrigger("held(primary.brake, 1s) or false", version: 2)));
        var events = TriggerRig.Run(engine, 0.9, 2.5, 0.1, t => _rig.Bool("primary.brake", true, t));

        Assert.Equal([1.9], events.Select(e => Math.Round(e.Time.TotalSeconds, 3)));
    }

    [Fact]
    public void Activate_UnchangedCondition_KeepsTemporalState()
    {
        var engine = _rig.Engine(TriggerRig.Compile(TriggerRig.OneTrigger("held(primary.brake, 1s)")));
        TriggerRig.Run(engine, 0, 0.8, 0.1, t => _rig.Bool("primary.brake", true, t));

        engine.Activate(TriggerRig.Compile(TriggerRig.OneTrigger("held(primary.brake, 1s)", "cooldown: 0s\npriority: 3", version: 2)));
        var events = TriggerRig.Run(engine, 0.9, 2.5, 0.1, t => _rig.Bool("primary.brake", true, t));

        Assert.Equal([1.0], events.Select(e => Math.Round(e.Time.TotalSeconds, 3)));
        Assert.Equal(3, events[0].Triggers[0].Priority);
    }

    [Fact]
    public void Activate_RemovedTrigger_NoLongerReportsCounters()
    {
        var engine = _rig.Engine(TriggerRig.Compile(TriggerRig.OneTrigger("primary.brake", id: "old")));
        engine.Activate(TriggerRig.Compile(TriggerRig.OneTrigger("primary.brake", id: "new", version: 2)));

        Assert.Equal(["new"], engine.GetCounters().Select(c => c.TriggerId));
    }

    [Fact]
    public void Activate_ATriggerThatLeftAndCameBack_CarriesOnCounting_AndTheSnapshotNamesItsSet()
    {
        var engine = _rig.Engine(TriggerRig.Compile(TriggerRig.OneTrigger("primary.brake")));
        TriggerRig.Run(engine, 0, 1, 0.5, t => _rig.Bool("primary.brake", t >= 0.5, t));
        engine.Activate(TriggerRig.Compile(TriggerRig.OneTrigger("primary.brake", id: "other", version: 2)));
        TriggerRig.Run(engine, 1.5, 2, 0.5, t => _rig.Bool("primary.brake", false, t));

        engine.Activate(TriggerRig.Compile(TriggerRig.OneTrigger("primary.brake", version: 3)));
        TriggerRig.Run(engine, 2.5, 3, 0.5, t => _rig.Bool("primary.brake", true, t));

        var snapshot = engine.ReadCounters();
        Assert.Equal(3, snapshot.TriggerSetVersion);
        Assert.Equal(_rig.Clock.WallClockAtOrigin, snapshot.CountingSince);
        var counters = Assert.Single(snapshot.Triggers);
        Assert.Equal(("t", 5, 2), (counters.TriggerId, counters.Evaluations, counters.Fires));
    }

    [Fact]
    public async Task Activate_WhileTheTickThreadEvaluates_SwapsCleanly()
    {
        var sets = Enumerable.Range(2, 40)
            .Select(v => TriggerRig.Compile(TriggerRig.OneTrigger(v % 2 == 0 ? "rose(primary.brake)" : "rose(primary.brake) or false", version: v)))
            .ToList();
        var engine = _rig.Engine(TriggerRig.Compile(TriggerRig.OneTrigger("rose(primary.brake)")));
        var versions = new List<int>();
        using var done = new CancellationTokenSource();

        var ticking = Task.Run(() =>
        {
            for (var i = 0; !done.IsCancellationRequested || i < 100; i++)
            {
                _rig.Bool("primary.brake", i % 2 == 1, i * 0.01);
                if (engine.Evaluate(TimeSpan.FromSeconds(i * 0.01)) is { } fired)
                {
                    versions.Add(fired.TriggerSetVersion);
                }
            }
        }, TestContext.Current.CancellationToken);
        foreach (var set in sets)
        {
            engine.Activate(set);
            await Task.Yield();
        }

        await done.CancelAsync();
        await ticking;

        Assert.Equal(41, engine.ActiveSet.Version);
        Assert.NotEmpty(versions);
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, TriggerRig.Counters(engine).Fires);
    }

    [Fact]
    public void Activate_OlderOrSameVersion_IsRejectedAndKeepsTheActiveSet()
    {
        var engine = _rig.Engine(TriggerRig.Compile(TriggerRig.OneTrigger("vehicle.speed > 10", version: 5)));

        var error = Assert.Throws<TriggerSetRejectedException>(() => engine.Activate(TriggerRig.Compile(TriggerRig.OneTrigger("primary.brake", version: 5))));

        Assert.Equal("version", Assert.Single(error.Errors).Field);
        Assert.Equal("vehicle.speed > 10", engine.ActiveSet.Triggers[0].Expression);
    }

    [Fact]
    public void SampleRate_KeepsAShareOfFires_AndCountsTheRest()
    {
        var engine = _rig.Engine(
            TriggerRig.Compile(TriggerRig.OneTrigger("rose(primary.brake)", "cooldown: 0s\nsampleRate: 0.25")),
            new TriggerEngineOptions { Random = new Random(1234) });

        TriggerRig.Run(engine, 0, 400, 0.5, t => _rig.Bool("primary.brake", ((int)(t * 2) % 2) == 0, t));

        var counters = TriggerRig.Counters(engine);
        Assert.Equal(400, counters.RisingEdges);
        Assert.Equal(counters.RisingEdges, counters.Fires + counters.SuppressedSampling);
        Assert.InRange(counters.Fires, 70, 130);
    }

    [Fact]
    public void MaxPerHour_LimitsFiresInAnyHour()
    {
        var engine = _rig.Engine("rose(primary.brake)", "cooldown: 0s\nmaxPerHour: 3");

        // A press every minute for 2 hours.
        var events = TriggerRig.Run(engine, 0, 7200, 30, t => _rig.Bool("primary.brake", ((int)(t / 30) % 2) == 1, t));

        Assert.Equal(6, events.Count);
        Assert.Equal([30, 90, 150, 3630, 3690, 3750], events.Select(e => Math.Round(e.Time.TotalSeconds)));
        Assert.Equal(TriggerRig.Counters(engine).RisingEdges - 6, TriggerRig.Counters(engine).SuppressedBudget);
    }

    [Fact]
    public void MaxBytesPerDay_CountsEstimatedClipBytes()
    {
        var engine = _rig.Engine(
            TriggerRig.Compile(TriggerRig.OneTrigger("rose(primary.brake)", "cooldown: 0s\nmaxBytesPerDay: 250")),
            new TriggerEngineOptions { EstimateClipBytes = _ => 100 });

        var events = TriggerRig.Run(engine, 0, 20, 1, t => _rig.Bool("primary.brake", ((int)t % 2) == 1, t));

        Assert.Equal(2, events.Count);
        Assert.Equal(8, TriggerRig.Counters(engine).SuppressedBudget);
    }

    [Fact]
    public void Evaluate_SteadyState_AllocatesNothingPerTick()
    {
        var engine = _rig.Engine("held(shadow.obstacle > 0.5 and not primary.brake, 200ms) or mean(vehicle.speed, 2s) > 100 or since(primary.brake) < 1s");
        Assert.True(_rig.Bus.TryGetId("shadow.obstacle", out var obstacleId));
        Assert.True(_rig.Bus.TryGetId("primary.brake", out var brakeId));
        Assert.True(_rig.Bus.TryGetId("vehicle.speed", out var speedId));
        void Tick(int i)
        {
            var now = TimeSpan.FromMilliseconds(i * 20);
            _rig.Bus.Publish(obstacleId, SignalValue.FromNumber(0.1), now);
            _rig.Bus.Publish(brakeId, SignalValue.FromBool(false), now);
            _rig.Bus.Publish(speedId, SignalValue.FromNumber(10), now);
            engine.Evaluate(now);
        }

        for (var i = 0; i < 200; i++)
        {
            Tick(i);
        }

        // A per-tick allocation would be at least 24 B × 10,000 ticks; the runtime's own one-off
        // allocations (tiering) stay far below 1 B per tick.
        const int Ticks = 10_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 200; i < 200 + Ticks; i++)
        {
            Tick(i);
        }

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, Ticks);
        Assert.Equal(Ticks + 200, TriggerRig.Counters(engine).Evaluations);
        Assert.Equal(0, TriggerRig.Counters(engine).MissingSignal);
    }
}

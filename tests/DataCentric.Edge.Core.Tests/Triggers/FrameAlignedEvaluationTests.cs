namespace DataCentric.Edge.Core.Tests.Triggers;

/// <summary>
/// Model outputs carry their frame's capture time and arrive an inference latency late; a set is
/// evaluated at that frame's instant, with every other signal as it was then.
/// </summary>
[Trait("Category", "Unit")]
public sealed class FrameAlignedEvaluationTests
{
    private const string Disagreement = "abs(shadow.steering - primary.steering) > 0.2";

    private readonly TriggerRig _rig = new();

    [Fact]
    public void ModelOutput_IsComparedWithTheControllerAtItsFrame_NotWithALaterDecision()
    {
        var engine = _rig.Engine(Disagreement);

        // The frame at 1.00 s sees steering 0.3, as the controller did then; the controller has
        // moved on to -0.3 by the time the model's answer arrives (tick at 1.04 s).
        _rig.Number("primary.steering", 0.3, 0.98);
        _rig.Number("shadow.steering", 0.3, 1.00);
        _rig.Number("primary.steering", -0.3, 1.02);

        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(1.04)));

        // The next frame (1.05 s) sees the turn too: still no disagreement.
        _rig.Number("shadow.steering", -0.3, 1.05);
        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(1.09)));
        Assert.Equal(0, TriggerRig.Counters(engine).RisingEdges);
    }

    [Fact]
    public void RealDisagreementAtTheFrame_Fires_StampedWithTheFrameInstant()
    {
        var engine = _rig.Engine(Disagreement);

        // At the frame (1.00 s) the controller steered 0.3 and the model says -0.2; the controller
        // agreeing with the model afterwards (1.02 s) must not hide that.
        _rig.Number("primary.steering", 0.3, 0.98);
        _rig.Number("shadow.steering", -0.2, 1.00);
        _rig.Number("primary.steering", -0.2, 1.02);

        var fired = engine.Evaluate(TimeSpan.FromSeconds(1.04));

        Assert.NotNull(fired);
        Assert.Equal(TimeSpan.FromSeconds(1.00), fired.Time);
        Assert.Equal(_rig.Clock.ToWallClock(TimeSpan.FromSeconds(1.00)), fired.WallClock);
    }

    [Fact]
    public void ControllerValueOlderThanStaleAfterAtTheFrame_IsStale_EvenThoughANewerOneArrivedLater()
    {
        var set = TriggerRig.Compile(TriggerRig.OneTrigger(Disagreement) + "\nstaleAfter: 100ms\n");
        var engine = _rig.Engine(set);

        // The controller went quiet from 0.5 s to 1.02 s: at the frame (1.00 s) its value is 500 ms old.
        _rig.Number("primary.steering", 0.3, 0.5);
        _rig.Number("shadow.steering", -0.3, 1.00);
        _rig.Number("primary.steering", 0.3, 1.02);

        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(1.04)));
        Assert.Equal(1, TriggerRig.Counters(engine).MissingSignal);

        // A frame after the controller's return is judged normally.
        _rig.Number("shadow.steering", -0.3, 1.05);
        Assert.NotNull(engine.Evaluate(TimeSpan.FromSeconds(1.09)));
    }

    [Fact]
    public void WindowFunctions_EndAtTheFrame_WithoutSamplesFromItsFuture()
    {
        var engine = _rig.Engine("shadow.obstacle > 0.5 and max(vehicle.speed, 1s) < 15");

        // Speed 10 until the frame at 2.00 s; a spike to 30 at 2.03 s arrives before the model's answer.
        for (var t = 1.0; t < 2.0; t += 0.1)
        {
            _rig.Number("vehicle.speed", 10, t);
        }

        _rig.Number("shadow.obstacle", 0.9, 2.00);
        _rig.Number("vehicle.speed", 30, 2.03);

        var fired = engine.Evaluate(TimeSpan.FromSeconds(2.05));

        Assert.NotNull(fired);
        Assert.Equal(TimeSpan.FromSeconds(2.00), fired.Time);

        // The spike is inside the window of the next frame.
        _rig.Number("shadow.obstacle", 0.1, 2.06);
        _rig.Number("shadow.obstacle", 0.9, 2.10);
        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(2.12)));
    }

    [Fact]
    public void SetWithoutModelOutputs_IsEvaluatedAtTheTick()
    {
        var engine = _rig.Engine("primary.steering > 0.2");

        _rig.Number("shadow.steering", 0, 1.00);
        _rig.Number("primary.steering", 0.5, 1.03);

        var fired = engine.Evaluate(TimeSpan.FromSeconds(1.04));

        Assert.NotNull(fired);
        Assert.Equal(TimeSpan.FromSeconds(1.04), fired.Time);
    }

    [Fact]
    public void StalledModel_DoesNotHoldBackTriggersThatDoNotReadIt()
    {
        var set = TriggerRig.Compile("""
            schemaVersion: 1
            version: 1
            staleAfter: 200ms
            triggers:
              - id: model
                when: 'shadow.obstacle > 0.5'
                cooldown: 0s
              - id: driver
                when: 'gpio.driver_override'
                cooldown: 0s
            """);
        var engine = _rig.Engine(set);

        // The model's last output is from 1.0 s; the driver presses the button at 3.0 s.
        _rig.Number("shadow.obstacle", 0.1, 1.0);
        _rig.Bool("gpio.driver_override", true, 3.0);

        var fired = engine.Evaluate(TimeSpan.FromSeconds(3.0));

        Assert.NotNull(fired);
        Assert.Equal(["driver"], fired.Triggers.Select(t => t.TriggerId));
        Assert.Equal(TimeSpan.FromSeconds(3.0), fired.Time);
        Assert.Equal(1, TriggerRig.Counters(engine, "model").MissingSignal);
    }

    [Fact]
    public void EvaluationInstant_NeverMovesBack_WhenAModelWithAnOlderFrameComesBack()
    {
        var set = TriggerRig.Compile("""
            schemaVersion: 1
            version: 1
            staleAfter: 300ms
            triggers:
              - id: t
                when: 'shadow.obstacle > 0.5 and shadow.steering < 1'
                cooldown: 0s
            """);
        var engine = _rig.Engine(set);
        _rig.Number("shadow.obstacle", 0.1, 1.0);
        _rig.Number("shadow.steering", 0, 1.0);
        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(1.0)));

        // The obstacle model stalls (stale at 1.4 s: the set runs on at the steering model's frames)...
        _rig.Number("shadow.steering", 0, 1.4);
        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(1.4)));
        Assert.Equal(1, TriggerRig.Counters(engine).MissingSignal);

        // ...then catches up with a frame from 1.25 s: the set stays at 1.4 s and reads it there.
        _rig.Number("shadow.obstacle", 0.9, 1.25);
        _rig.Number("shadow.steering", 0, 1.5);
        var fired = engine.Evaluate(TimeSpan.FromSeconds(1.5));

        Assert.NotNull(fired);
        Assert.Equal(TimeSpan.FromSeconds(1.4), fired.Time);
    }
}

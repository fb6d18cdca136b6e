using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Tests.Triggers;

/// <summary>Windows, since, disagreement helpers and novelty, driven through a real bus at chosen times.</summary>
[Trait("Category", "Unit")]
public sealed class TemporalFunctionTests
{
    private readonly TriggerRig _rig = new();

    [Theory]
    [InlineData("mean(vehicle.speed, 1s) > 14.5", 0.5)] // at 0.5 s: mean of 10..20 is 15 (at 0.4 s: 14)
    [InlineData("max(vehicle.speed, 500ms) >= 20", 0.5)]
    [InlineData("min(vehicle.speed, 500ms) >= 20", 1.0)]
    [InlineData("delta(vehicle.speed, 300ms) >= 6", 0.3)]
    public void WindowFunction_FiresWhenTheWindowedValueCrosses(string when, double expectedTime)
    {
        var engine = _rig.Engine(when);

        // Speed ramps by 2 per 100 ms from 10 at t=0 (20 at t=0.5, 30 at t=1.0).
        var events = TriggerRig.Run(engine, 0, 2, 0.1, t => _rig.Number("vehicle.speed", 10 + (20 * t), t));

        Assert.Equal(expectedTime, Math.Round(events[0].Time.TotalSeconds, 3));
    }

    [Fact]
    public void Mean_IsTheAverageOfTheSamplesInTheWindow()
    {
        // Constant 10, then a step to 30 at t=2: a 1 s window includes the held value at its start.
        var engine = _rig.Engine("mean(vehicle.speed, 1s) > 19");
        var events = TriggerRig.Run(engine, 0, 4, 0.1, t => _rig.Number("vehicle.speed", t >= 2 ? 30 : 10, t));

        // At t=2.5: samples 1.5(held),1.6..1.9 are 10 (5 of them), 2.0..2.5 are 30 (6): mean 20.9 > 19.
        // At t=2.4: 6 × 10 and 5 × 30: mean 19.09 > 19 — the first tick above 19.
        Assert.Equal(2.4, Math.Round(events.Single().Time.TotalSeconds, 3));
    }

    [Fact]
    public void Window_SamplesPublishedBetweenTicks_AreAllSeen()
    {
        // Ten samples per tick: a 30 spike between ticks must show up in max().
        var engine = _rig.Engine("max(vehicle.speed, 1s) > 25");
        for (var i = 0; i < 100; i++)
        {
            var t = i * 0.01;
            _rig.Number("vehicle.speed", i == 55 ? 30 : 10, t);
            if (i % 10 == 9)
            {
                var fired = engine.Evaluate(TimeSpan.FromSeconds(t)) is not null;
                Assert.Equal(i == 59, fired);
            }
        }
    }

    [Fact]
    public void Window_IsBoundedByTheBusHistory()
    {
        // History 8 samples at 0.1 s: a 2 s window can only see the last 0.8 s.
        var rig = new TriggerRig(historyCapacity: 8);
        var engine = rig.Engine("min(vehicle.speed, 2s) < 5");
        var events = TriggerRig.Run(engine, 0, 2, 0.1, t => rig.Number("vehicle.speed", t < 0.05 ? 0 : 10, t));

        // t=0 sees the 0; by t=1.0 more than 8 samples have pushed it out.
        Assert.Single(events);
        Assert.Equal(0, events[0].Time.TotalSeconds);
    }

    [Fact]
    public void Since_MeasuresTimeSinceTheConditionWasLastTrue()
    {
        var engine = _rig.Engine("since(primary.brake) > 1s and since(primary.brake) < 1.25s");

        var events = TriggerRig.Run(engine, 0, 4, 0.1, t => _rig.Bool("primary.brake", t is >= 0.5 and < 1.0, t));

        // Last true at t=0.9: 1 s later is t=1.9 (needs strictly more than 1 s: 2.0).
        Assert.Equal(2.0, Math.Round(events.Single().Time.TotalSeconds, 3));
    }

    [Fact]
    public void Since_NeverTrue_IsInfinitelyLong()
    {
        var engine = _rig.Engine("since(primary.brake) > 1h");
        _rig.Bool("primary.brake", false, 0);

        Assert.NotNull(engine.Evaluate(TimeSpan.Zero));
    }

    [Fact]
    public void Disagree_FiresOnlyWhenTheDifferencePersistsBeyondTheLag()
    {
        var engine = _rig.Engine("disagree(shadow.steering, primary.steering, 0.2, 300ms)");

        // Primary follows the shadow's 0.5 step after 200 ms the first time (ok), and not at all the second time.
        var events = TriggerRig.Run(engine, 0, 6, 0.05, t =>
        {
            _rig.Number("shadow.steering", t is >= 1 and < 2 || t >= 4 ? 0.5 : 0, t);
            _rig.Number("primary.steering", t is >= 1.2 and < 2.2 ? 0.5 : 0, t);
        });

        Assert.Equal([4.3], events.Select(e => Math.Round(e.Time.TotalSeconds, 3)));
    }

    [Theory]
    [InlineData("pedestrian", "pedestrian", false)]
    [InlineData("pedestrian", "cyclist", true)]
    public void ClassMismatch_OnText_ComparesLabels(string shadow, string primary, bool fires)
    {
        var engine = _rig.Engine("class_mismatch(shadow.class, primary.class)");
        _rig.Text("shadow.class", shadow, 1);
        _rig.Text("primary.class", primary, 1);

        Assert.Equal(fires, engine.Evaluate(TimeSpan.FromSeconds(1)) is not null);
    }

    [Theory]
    [InlineData(new[] { 1, 2 }, new[] { 1 }, false)] // top classes both 1
    [InlineData(new[] { 2, 1 }, new[] { 1 }, true)]
    [InlineData(new int[0], new[] { 1 }, true)]
    [InlineData(new int[0], new int[0], false)]
    public void ClassMismatch_OnDetections_ComparesTheBestScoringClass(int[] shadowClasses, int[] primaryClasses, bool fires)
    {
        var engine = _rig.Engine("class_mismatch(shadow.boxes, primary.boxes)");
        _rig.Publish("shadow.boxes", SignalValue.FromDetections([.. shadowClasses.Select((c, i) => new Detection(c, 0.9f - (0.1f * i), 0.1f, 0.1f, 0.2f, 0.2f))]), 1);
        _rig.Publish("primary.boxes", SignalValue.FromDetections([.. primaryClasses.Select((c, i) => new Detection(c, 0.9f - (0.1f * i), 0.1f, 0.1f, 0.2f, 0.2f))]), 1);

        Assert.Equal(fires, engine.Evaluate(TimeSpan.FromSeconds(1)) is not null);
    }

    [Theory]
    [InlineData(0.0f, false)] // same box
    [InlineData(0.05f, false)] // IoU 0.6
    [InlineData(0.15f, true)] // IoU ~0.14: each side has an unmatched box
    public void IouMiss_FiresWhenABoxHasNoCounterpart(float shift, bool fires)
    {
        var engine = _rig.Engine("iou_miss(shadow.boxes, primary.boxes, 0.5)");
        _rig.Publish("shadow.boxes", SignalValue.FromDetections([new Detection(1, 0.9f, 0.1f, 0.1f, 0.2f, 0.2f)]), 1);
        _rig.Publish("primary.boxes", SignalValue.FromDetections([new Detection(1, 0.9f, 0.1f + shift, 0.1f, 0.2f, 0.2f)]), 1);

        Assert.Equal(fires, engine.Evaluate(TimeSpan.FromSeconds(1)) is not null);
    }

    [Fact]
    public void IouMiss_ObjectOnlyOneSideSees_Fires()
    {
        var engine = _rig.Engine("iou_miss(shadow.boxes, primary.boxes, 0.5)");
        _rig.Publish("shadow.boxes", SignalValue.FromDetections([]), 1);
        _rig.Publish("primary.boxes", SignalValue.FromDetections([new Detection(1, 0.9f, 0.1f, 0.1f, 0.2f, 0.2f)]), 1);

        Assert.NotNull(engine.Evaluate(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void CountAndMaxScore_ReadDetectionLists()
    {
        var engine = _rig.Engine("count(shadow.boxes) == 3 and count(shadow.boxes, 0.5) == 2 and max_score(shadow.boxes) == max_score(shadow.boxes) and max_score(shadow.boxes) > 0.85");
        _rig.Publish("shadow.boxes", SignalValue.FromDetections([new(1, 0.9f, 0, 0, 1, 1), new(2, 0.6f, 0, 0, 1, 1), new(3, 0.2f, 0, 0, 1, 1)]), 1);

        Assert.NotNull(engine.Evaluate(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Novelty_IsHighOnlyForAnEmbeddingUnlikeTheRecentOnes()
    {
        var engine = _rig.Engine("novelty(shadow.embedding) > 0.5");
        var events = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            var t = i * 0.1;

            // Small jitter around one direction, and at i=30 a very different scene.
            float[] embedding = i == 30 ? [0, 1, 0, 0] : [1, 0.05f * (i % 3), 0, 0.02f * (i % 2)];
            _rig.Publish("shadow.embedding", SignalValue.FromVector(embedding), t);
            if (engine.Evaluate(TimeSpan.FromSeconds(t)) is not null)
            {
                events.Add(Math.Round(t, 3));
            }
        }

        Assert.Equal([3.0], events);
    }

    [Fact]
    public void MinNovelty_SuppressesNearDuplicateClips_AndCountsThem()
    {
        var engine = _rig.Engine("rose(primary.brake)", "cooldown: 0s\nminNovelty: 0.2");
        var fires = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            var t = i * 0.5;

            // Presses on odd ticks; the scene changes completely only at i=7.
            float[] embedding = i >= 7 ? [0, 0, 1] : [1, 0.01f * i, 0];
            _rig.Publish("shadow.embedding", SignalValue.FromVector(embedding), t);
            _rig.Bool("primary.brake", i % 2 == 1, t);
            if (engine.Evaluate(TimeSpan.FromSeconds(t)) is not null)
            {
                fires.Add(i);
            }
        }

        Assert.Equal([1, 7], fires);
        Assert.Equal(4, TriggerRig.Counters(engine).SuppressedDuplicate);
    }
}

using System.Globalization;
using System.Text;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;
using DataCentric.Edge.Device.Sources.Controller;
using DataCentric.Edge.Device.Tests.Sources.Sensors;

namespace DataCentric.Edge.Device.Tests.Sources.Controller;

/// <summary>
/// The controller's perception, parsed and stamped by the feed, compared by the trigger engine with
/// the shadow model's boxes at the shadow frame's instant, within the set's staleAfter.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PerceptionAlignmentTests
{
    private static readonly Detection Car = new(0, 0.9f, 0.40f, 0.50f, 0.20f, 0.20f);
    private static readonly Detection Moved = new(0, 0.9f, 0.70f, 0.50f, 0.20f, 0.20f);

    private readonly SourceRig _rig = new();
    private readonly ControllerDecisionPublisher _publisher;
    private readonly SignalId _shadow;

    public PerceptionAlignmentTests()
    {
        _publisher = new ControllerDecisionPublisher(ControllerPerceptionTests.Options(), _rig.BadInput, new ClockOffsetEstimator(16));
        _publisher.Register(_rig.Bus);
        _shadow = _rig.Bus.Register("shadow.boxes", SignalKind.Detections);
    }

    private TriggerEngine Engine(string when, string staleAfter = "150ms")
    {
        var yaml = $"""
            schemaVersion: 1
            version: 1
            staleAfter: {staleAfter}
            triggers:
              - id: t
                when: '{when}'
                cooldown: 0s
            """;
        var result = TriggerSetCompiler.Compile(yaml, TriggerSourceFormat.Yaml, _rig.Bus.Describe());
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return new TriggerEngine(result.Set!, _rig.Bus, _rig.Clock);
    }

    /// <summary>A controller message sent at <paramref name="sent"/> (received 2 ms later) about the frame of <paramref name="perceived"/>.</summary>
    private void Controller(double sent, double perceived, Detection box, string cls = "car")
    {
        var n = (double value) => value.ToString("R", CultureInfo.InvariantCulture);
        var boxJson = $$"""{"x": {{n(box.X)}}, "y": {{n(box.Y)}}, "width": {{n(box.Width)}}, "height": {{n(box.Height)}}}""";
        var json = $$"""{"time": {{n(sent)}}, "perception": {"time": {{n(perceived)}}, "detections": {"boxes": [{"class": "{{cls}}", "score": {{n(box.Score)}}, "box": """
            + boxJson + "}]}}}";
        Assert.True(_publisher.Accept(_rig.Bus, Encoding.UTF8.GetBytes(json), TimeSpan.FromSeconds(sent + 0.002)));
    }

    private void Shadow(double frame, Detection box) => _rig.Bus.Publish(_shadow, SignalValue.FromDetections([box]), TimeSpan.FromSeconds(frame));

    [Fact]
    public void IouMiss_UsesTheControllersPerceptionOfTheFrame_NotTheMessageThatArrivedLater()
    {
        var engine = Engine("iou_miss(shadow.boxes, primary.boxes, 0.5)");

        // Frame at 1.00 s: the controller saw the car where the model did (frame 0.99, sent 1.01);
        // its next perception (frame 1.04, sent 1.06) sees it moved, as the model's next frame will.
        Controller(sent: 1.01, perceived: 0.99, Car);
        Shadow(1.00, Car);
        Controller(sent: 1.06, perceived: 1.04, Moved);

        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(1.08)));
        Shadow(1.05, Moved);
        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(1.12)));
        var counters = engine.GetCounters().Single();
        Assert.Equal(2, counters.Evaluations);
        Assert.Equal(0, counters.RisingEdges);
    }

    [Fact]
    public void IouMiss_Fires_AtTheFrameWhereTheControllerSawSomethingElse()
    {
        var engine = Engine("iou_miss(shadow.boxes, primary.boxes, 0.5)");

        Controller(sent: 1.01, perceived: 0.99, Moved);
        Shadow(1.00, Car);

        var fired = engine.Evaluate(TimeSpan.FromSeconds(1.08));

        Assert.NotNull(fired);
        Assert.Equal(TimeSpan.FromSeconds(1.00), fired.Time);
    }

    [Fact]
    public void ClassMismatch_ComparesTheControllersClassByName_WithTheModelsClassId()
    {
        var engine = Engine("class_mismatch(shadow.boxes, primary.boxes)");

        Controller(sent: 1.01, perceived: 0.99, Car, cls: "car");
        Shadow(1.00, Car);
        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(1.02)));

        Controller(sent: 1.11, perceived: 1.09, Car, cls: "pedestrian");
        Shadow(1.10, Car);
        Assert.NotNull(engine.Evaluate(TimeSpan.FromSeconds(1.12)));
    }

    [Fact]
    public void PerceptionOlderThanStaleAfter_AtTheFrame_IsNotCompared_AndCountsAsMissing()
    {
        var engine = Engine("iou_miss(shadow.boxes, primary.boxes, 0.5)", staleAfter: "100ms");

        // The controller perceived a frame at 0.80 s and then went quiet: at the 1.00 s frame that is 200 ms old.
        Controller(sent: 0.82, perceived: 0.80, Moved);
        Shadow(1.00, Car);

        Assert.Null(engine.Evaluate(TimeSpan.FromSeconds(1.02)));
        var counters = engine.GetCounters().Single();
        Assert.Equal(1, counters.MissingSignal);
        Assert.Equal(0, counters.RisingEdges);
    }
}

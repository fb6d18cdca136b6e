using DataCentric.Edge.Cli.Commands.Datasets;

namespace DataCentric.Edge.Cli.Tests.Datasets;

/// <summary>
/// Trigger precision: a trigger event is judged on the reviewed frame nearest its firing time (within
/// half a second), so a clip's early frames, before the trigger had a reason to fire, neither make
/// it a real mistake nor clear it.
/// </summary>
[Trait("Category", "Unit")]
public sealed class AgreementTests
{
    private static readonly BoxMatch ModelRight = new(1, 1, 1, 1);
    private static readonly BoxMatch ModelMissed = new(0, 1, 0, 0);

    [Fact]
    public void AMistakeFarFromTheMoment_DoesNotMakeTheEventAMistake()
    {
        var agreement = new Agreement();
        agreement.Add("clip", [new FrameEvent("e1", "brakes", 0.9)], ModelMissed, controllerRight: true);
        agreement.Add("clip", [new FrameEvent("e1", "brakes", -0.1)], ModelRight, controllerRight: true);

        Assert.Equal((1, 1, 0), (agreement.Events, agreement.EventsJudged, agreement.EventsTrue));
        Assert.Equal(0.0, agreement.TriggerPrecision);
        Assert.Equal(1, agreement.ModelRight);
    }

    [Fact]
    public void TheFrameNearestTheMoment_Decides_WhicheverComesFirst()
    {
        var agreement = new Agreement();
        agreement.Add("clip", [new FrameEvent("e1", "missed", 0.05)], ModelRight, controllerRight: false);
        agreement.Add("clip", [new FrameEvent("e1", "missed", 0.3)], ModelRight, controllerRight: true);
        agreement.Add("clip", [new FrameEvent("e2", "missed", -0.4)], ModelRight, controllerRight: true);
        agreement.Add("clip", [new FrameEvent("e2", "missed", 0.2)], ModelMissed, controllerRight: true);

        Assert.Equal((2, 2), (agreement.Events, agreement.EventsTrue));
        Assert.Equal(1, agreement.EventsControllerMistake);
        Assert.Equal(1, agreement.EventsModelMistake);
        Assert.Equal(1.0, agreement.TriggerPrecision);
    }

    [Fact]
    public void AnEventWithoutAReviewedFrameNearIt_IsCountedButNotJudged()
    {
        var agreement = new Agreement();
        agreement.Add("clip-a", [new FrameEvent("e1", "brakes", 1.2)], ModelMissed, controllerRight: false);
        agreement.Add("clip-b", [new FrameEvent("e2", "brakes", 0.0)], ModelRight, controllerRight: false);

        Assert.Equal((2, 1, 1), (agreement.Events, agreement.EventsJudged, agreement.EventsTrue));
        Assert.Equal(1.0, agreement.TriggerPrecision);
    }

    [Fact]
    public void OneEventOfTwoTriggers_IsJudgedPerTrigger_AndEventsOfOneTriggerInOneClipApart()
    {
        var agreement = new Agreement();
        agreement.Add("clip", [new FrameEvent("e1", "brakes", 0.0), new FrameEvent("e1", "other-class", 0.0), new FrameEvent("e2", "brakes", 2.0)], ModelRight, controllerRight: true);
        agreement.Add("clip", [new FrameEvent("e1", "brakes", -2.0), new FrameEvent("e1", "other-class", -2.0), new FrameEvent("e2", "brakes", 0.1)], ModelRight, controllerRight: false);

        Assert.Equal((3, 3, 1), (agreement.Events, agreement.EventsJudged, agreement.EventsTrue));
        Assert.Equal(1.0 / 3, agreement.TriggerPrecision!.Value, 5);
    }
}

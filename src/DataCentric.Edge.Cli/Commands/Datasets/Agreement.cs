using System.Text.Json.Nodes;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// The figures of one group of reviewed frames (all, one trigger's, one model version's).
/// Box precision = matched / the model's boxes, recall = matched / the reviewer's boxes (IoU ≥ 0.5,
/// class-blind); class accuracy = matched pairs of the same class / matched pairs; the model is right
/// on a frame when its boxes and the reviewer's agree completely (<see cref="BoxMatch.Agrees"/>).
/// A trigger event (one trigger of one event of a clip) is judged at its moment: on the reviewed frame
/// nearest its firing time, if one lies within <see cref="MomentSeconds"/>. It was a real mistake when
/// there the model or the controller disagrees with the reviewer. Frames further away say nothing about
/// it: a clip's early frames show the scene before the trigger had a reason to fire.
/// </summary>
internal sealed class Agreement
{
    /// <summary>How far from a trigger's firing time a reviewed frame may lie and still judge it.</summary>
    public const double MomentSeconds = 0.5;

    private readonly Dictionary<(string Clip, string Event, string Trigger), Verdict?> _events = [];

    public int Frames { get; private set; }

    public int FramesWithoutModelBoxes { get; private set; }

    public int ModelRight { get; private set; }

    public int ModelBoxes { get; private set; }

    public int ReviewedBoxes { get; private set; }

    public int Matched { get; private set; }

    public int SameClass { get; private set; }

    public int Events => _events.Count;

    public int EventsJudged => _events.Values.Count(v => v is not null);

    public int EventsModelMistake => _events.Values.Count(v => v is { ModelWrong: true });

    public int EventsControllerMistake => _events.Values.Count(v => v is { ControllerWrong: true });

    public int EventsTrue => _events.Values.Count(v => v is { ModelWrong: true } or { ControllerWrong: true });

    public double? Precision => Ratio(Matched, ModelBoxes);

    public double? Recall => Ratio(Matched, ReviewedBoxes);

    public double? ClassAccuracy => Ratio(SameClass, Matched);

    public double? ModelRightRate => Ratio(ModelRight, Frames - FramesWithoutModelBoxes);

    public double? TriggerPrecision => Ratio(EventsTrue, EventsJudged);

    /// <param name="events">The trigger events of the frame's clip that this group counts, with their time relative to the frame.</param>
    /// <param name="model">Null when the frame's clip has no boxes from the model.</param>
    /// <param name="controllerRight">Null when the clip says nothing the controller perceived or decided.</param>
    public void Add(string clip, IEnumerable<FrameEvent> events, BoxMatch? model, bool? controllerRight)
    {
        ArgumentNullException.ThrowIfNull(events);
        Frames++;
        if (model is { } m)
        {
            ModelBoxes += m.Predicted;
            ReviewedBoxes += m.Reviewed;
            Matched += m.Matched;
            SameClass += m.SameClass;
            ModelRight += m.Agrees ? 1 : 0;
        }
        else
        {
            FramesWithoutModelBoxes++;
        }

        foreach (var e in events)
        {
            var key = (clip, e.EventId, e.Trigger);
            var distance = Math.Abs(e.OffsetSeconds);
            var known = _events.TryGetValue(key, out var verdict);
            if (distance <= MomentSeconds && (verdict is null || distance < verdict.Value.Distance))
            {
                _events[key] = new Verdict(distance, model is { Agrees: false }, controllerRight == false);
            }
            else if (!known)
            {
                _events[key] = null;
            }
        }
    }

    public JsonObject ToJson() => new()
    {
        ["frames"] = Frames,
        ["framesWithoutModelBoxes"] = FramesWithoutModelBoxes,
        ["modelRightFrames"] = ModelRight,
        ["modelRight"] = ModelRightRate,
        ["modelBoxes"] = ModelBoxes,
        ["reviewedBoxes"] = ReviewedBoxes,
        ["matchedBoxes"] = Matched,
        ["sameClass"] = SameClass,
        ["boxPrecision"] = Precision,
        ["boxRecall"] = Recall,
        ["classAccuracy"] = ClassAccuracy,
        ["events"] = Events,
        ["eventsJudged"] = EventsJudged,
        ["eventsModelMistake"] = EventsModelMistake,
        ["eventsControllerMistake"] = EventsControllerMistake,
        ["eventsTrue"] = EventsTrue,
        ["triggerPrecision"] = TriggerPrecision,
    };

    /// <summary>What the reviewed frame nearest a trigger's moment says about it.</summary>
    private readonly record struct Verdict(double Distance, bool ModelWrong, bool ControllerWrong);

    private static double? Ratio(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 6);
}

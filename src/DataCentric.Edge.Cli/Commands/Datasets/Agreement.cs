using System.Text.Json.Nodes;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// The figures of one group of reviewed frames (all, one trigger's, one model version's).
/// Box precision = matched / the model's boxes, recall = matched / the reviewer's boxes (IoU ≥ 0.5,
/// class-blind); class accuracy = matched pairs of the same class / matched pairs; the model is right
/// on a frame when its boxes and the reviewer's agree completely (<see cref="BoxMatch.Agrees"/>).
/// A trigger event (a clip and one of its triggers) was a real mistake when on at least one of its
/// reviewed frames the model or the controller disagrees with the reviewer.
/// </summary>
internal sealed class Agreement
{
    private readonly HashSet<(string Clip, string Trigger)> _events = [];
    private readonly HashSet<(string Clip, string Trigger)> _modelMistakes = [];
    private readonly HashSet<(string Clip, string Trigger)> _controllerMistakes = [];

    public int Frames { get; private set; }

    public int FramesWithoutModelBoxes { get; private set; }

    public int ModelRight { get; private set; }

    public int ModelBoxes { get; private set; }

    public int ReviewedBoxes { get; private set; }

    public int Matched { get; private set; }

    public int SameClass { get; private set; }

    public int Events => _events.Count;

    public int EventsTrue => _modelMistakes.Union(_controllerMistakes).Count();

    public double? Precision => Ratio(Matched, ModelBoxes);

    public double? Recall => Ratio(Matched, ReviewedBoxes);

    public double? ClassAccuracy => Ratio(SameClass, Matched);

    public double? ModelRightRate => Ratio(ModelRight, Frames - FramesWithoutModelBoxes);

    public double? TriggerPrecision => Ratio(EventsTrue, Events);

    /// <param name="model">Null when the frame's clip has no boxes from the model.</param>
    /// <param name="controllerRight">Null when the clip says nothing the controller perceived or decided.</param>
    public void Add(string clip, IReadOnlyList<string> triggers, BoxMatch? model, bool? controllerRight)
    {
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

        foreach (var trigger in triggers)
        {
            _events.Add((clip, trigger));
            if (model is { Agrees: false })
            {
                _modelMistakes.Add((clip, trigger));
            }

            if (controllerRight == false)
            {
                _controllerMistakes.Add((clip, trigger));
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
        ["eventsModelMistake"] = _modelMistakes.Count,
        ["eventsControllerMistake"] = _controllerMistakes.Count,
        ["eventsTrue"] = EventsTrue,
        ["triggerPrecision"] = TriggerPrecision,
    };

    private static double? Ratio(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 6);
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// Reviewed labels against what the dataset recorded: per reviewed frame, the shadow model's boxes and
/// the controller's (its boxes, else its brake decision: braking is right exactly when the reviewer
/// drew a box) against the reviewer's, summed overall, per trigger and per model version.
/// </summary>
internal sealed class DatasetImport
{
    public const string Definitions =
        "boxes match at IoU >= 0.5 (greedy, class-blind); precision = matched / model boxes, recall = matched / reviewed boxes, class accuracy = same-class matches / matches; " +
        "the model is right on a frame when every reviewed box is matched with its class and it has no extra box; " +
        "a trigger event (one trigger of one event of a clip) is judged on the reviewed frame nearest its firing time, if one lies within 0.5 s (eventsJudged); " +
        "it was a real mistake when there the model is not right or the controller is not: " +
        "its boxes (primary.boxes) do not agree with the reviewer's in the same way, or, without controller boxes, it braked without a reviewed box or did not brake with one; " +
        "trigger precision = real mistakes / events judged";

    private DatasetImport(DatasetFrames dataset, string labelsFile, string format, int reviewed, Agreement overall,
        SortedDictionary<string, Agreement> byTrigger, SortedDictionary<string, Agreement> byModel, IReadOnlyList<DatasetProblem> problems)
    {
        Dataset = dataset;
        LabelsFile = labelsFile;
        Format = format;
        Reviewed = reviewed;
        Overall = overall;
        ByTrigger = byTrigger;
        ByModel = byModel;
        Problems = problems;
    }

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    public DatasetFrames Dataset { get; }

    public string LabelsFile { get; }

    public string Format { get; }

    public int Reviewed { get; }

    public Agreement Overall { get; }

    public IReadOnlyDictionary<string, Agreement> ByTrigger { get; }

    public IReadOnlyDictionary<string, Agreement> ByModel { get; }

    public IReadOnlyList<DatasetProblem> Problems { get; }

    public string ReportId => $"{Dataset.Id}.import.{CreatedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'.'ffffff'Z'", CultureInfo.InvariantCulture)}";

    public static DatasetImport Run(DatasetFrames dataset, string labelsFile)
    {
        var (frames, problems, format) = ReviewedLabels.Read(labelsFile, dataset);
        var overall = new Agreement();
        var byTrigger = new SortedDictionary<string, Agreement>(StringComparer.Ordinal);
        var byModel = new SortedDictionary<string, Agreement>(StringComparer.Ordinal);
        foreach (var (image, reviewed) in frames.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var frame = dataset.ByImage[image];
            BoxMatch? model = frame.ShadowBoxes is { } shadow ? BoxMatch.Of(shadow, reviewed) : null;
            bool? controller = frame.PrimaryBoxes is { } primary
                ? BoxMatch.Of(primary, reviewed).Agrees
                : frame.PrimaryBrake is { } brake ? (brake > 0.5) == (reviewed.Count > 0) : null;
            overall.Add(frame.Clip, frame.Events, model, controller);
            Group(byModel, frame.Model).Add(frame.Clip, frame.Events, model, controller);
            foreach (var trigger in frame.Triggers)
            {
                Group(byTrigger, trigger).Add(frame.Clip, frame.Events.Where(e => e.Trigger == trigger), model, controller);
            }

            if (frame.ShadowBoxes is null)
            {
                problems.Add(new DatasetProblem(labelsFile, image, "the clip of this frame has no boxes from the model (a classification or regression model?): only the trigger figures use it"));
            }
        }

        return new DatasetImport(dataset, Path.GetFullPath(labelsFile), format, frames.Count, overall, byTrigger, byModel, problems);
    }

    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{Reviewed} of {Dataset.ByImage.Count} frames reviewed: shadow model right {Percent(Overall.ModelRightRate)} (box precision {Percent(Overall.Precision)}, recall {Percent(Overall.Recall)}, class accuracy {Percent(Overall.ClassAccuracy)}), trigger {Percent(Overall.TriggerPrecision)} ({Overall.EventsTrue} of {Overall.EventsJudged} trigger events judged at their moment were real mistakes{Unjudged(Overall)})");

    private static string Unjudged(Agreement agreement) => agreement.Events == agreement.EventsJudged
        ? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $"; {agreement.Events - agreement.EventsJudged} more had no reviewed frame within {Agreement.MomentSeconds} s");

    public static string Percent(double? ratio) => ratio is { } r ? (100 * r).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "n/a";

    public string ToJson()
    {
        var json = new JsonObject
        {
            ["reportId"] = ReportId,
            ["kind"] = "import",
            ["dataset"] = Dataset.Id,
            ["createdAt"] = CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["labelsFile"] = LabelsFile,
            ["format"] = Format,
            ["definitions"] = Definitions,
            ["frames"] = new JsonObject { ["inDataset"] = Dataset.ByImage.Count, ["reviewed"] = Reviewed, ["notReviewed"] = Dataset.ByImage.Count - Reviewed },
            ["overall"] = Overall.ToJson(),
            ["byTrigger"] = Groups(ByTrigger),
            ["byModel"] = Groups(ByModel),
            ["problems"] = new JsonArray([.. Problems.Select(p => (JsonNode)new JsonObject { ["file"] = p.File, ["frame"] = p.Frame, ["message"] = p.Message })]),
        };
        return json.ToJsonString(DatasetJson.Indented);
    }

    private static JsonObject Groups(IReadOnlyDictionary<string, Agreement> groups)
    {
        var json = new JsonObject();
        foreach (var (key, agreement) in groups)
        {
            json[key] = agreement.ToJson();
        }

        return json;
    }

    private static Agreement Group(SortedDictionary<string, Agreement> groups, string key)
    {
        if (!groups.TryGetValue(key, out var agreement))
        {
            groups[key] = agreement = new Agreement();
        }

        return agreement;
    }
}

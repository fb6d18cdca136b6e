using System.Globalization;
using System.Text.Json.Nodes;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// What <c>dataset build</c> picked and why (<c>dataset.json</c> in the dataset, and the catalog's
/// reports): counts per trigger, device, class and hour of day (UTC) of the picked frames and of all
/// candidates, and the near-duplication removed — the mean distance from each picked frame to its
/// nearest other picked frame, and how many have another within the threshold, against the same
/// number of frames spread evenly over the candidates.
/// </summary>
internal sealed class DatasetBuildReport(
    DatasetBuildSettings settings,
    string feature,
    string? featureNote,
    int clipsListed,
    int clipsRead,
    int clipsWithoutBoxes,
    IReadOnlyList<FrameCandidate> candidates,
    IReadOnlyList<int> picked,
    double threshold,
    NearDuplicates selected,
    NearDuplicates uniform,
    IReadOnlyList<DatasetProblem> problems)
{
    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    public string ReportId => $"{settings.DatasetId}.build.{CreatedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'.'ffffff'Z'", CultureInfo.InvariantCulture)}";

    public int Selected => picked.Count;

    public int Candidates => candidates.Count;

    public string Feature => feature;

    public string? FeatureNote => featureNote;

    public NearDuplicates Picked => selected;

    public NearDuplicates Uniform => uniform;

    public IReadOnlyList<DatasetProblem> Problems => problems;

    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{Selected} of {Candidates} candidate frames from {clipsRead} clips picked by {feature}: mean nearest-neighbour distance {selected.MeanNearestDistance:0.0000} (uniform {uniform.MeanNearestDistance:0.0000}), {selected.WithinThreshold} near-duplicates within {threshold:0.######} (uniform {uniform.WithinThreshold})");

    public string ToJson()
    {
        var chosen = picked.Select(i => candidates[i]).ToList();
        var json = new JsonObject
        {
            ["reportId"] = ReportId,
            ["kind"] = "build",
            ["dataset"] = settings.DatasetId,
            ["createdAt"] = CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["source"] = settings.Source,
            ["format"] = settings.Format.ToString().ToLowerInvariant(),
            ["classes"] = new JsonArray([.. settings.Classes.DenseIds().Select(id => (JsonNode?)settings.Classes.Name(id))]),
            ["filter"] = new JsonObject
            {
                ["devices"] = Strings(settings.Filter.Devices.Order(StringComparer.Ordinal)),
                ["triggers"] = Strings(settings.Filter.Triggers.Order(StringComparer.Ordinal)),
                ["from"] = settings.Filter.From?.ToString("O", CultureInfo.InvariantCulture),
                ["to"] = settings.Filter.To?.ToString("O", CultureInfo.InvariantCulture),
                ["model"] = settings.Filter.Model,
                ["classes"] = Strings(settings.Filter.Classes.Order(StringComparer.Ordinal)),
                ["minScore"] = settings.Filter.MinScore,
                ["maxScore"] = settings.Filter.MaxScore,
            },
            ["quotas"] = new JsonObject { ["frames"] = settings.Count, ["perDevice"] = settings.PerDevice, ["perTrigger"] = settings.PerTrigger },
            ["feature"] = feature,
            ["featureNote"] = featureNote,
            ["clips"] = new JsonObject { ["listed"] = clipsListed, ["read"] = clipsRead, ["withoutBoxes"] = clipsWithoutBoxes },
            ["candidates"] = Candidates,
            ["selected"] = Selected,
            ["counts"] = new JsonObject { ["selected"] = Counts(chosen), ["candidates"] = Counts(candidates) },
            ["nearDuplicates"] = new JsonObject
            {
                ["threshold"] = Math.Round(threshold, 8),
                ["thresholdFrom"] = settings.DuplicateDistance is null ? "a tenth of the mean distance between two candidate frames" : "--duplicate-distance",
                ["selected"] = Of(selected),
                ["uniform"] = Of(uniform),
                ["removed"] = uniform.WithinThreshold - selected.WithinThreshold,
            },
            ["problems"] = new JsonArray([.. problems.Select(p => (JsonNode)new JsonObject { ["file"] = p.File, ["frame"] = p.Frame, ["message"] = p.Message })]),
        };
        return json.ToJsonString(DatasetJson.Indented);
    }

    private static JsonObject Of(NearDuplicates d) => new()
    {
        ["meanNearestDistance"] = Math.Round(d.MeanNearestDistance, 6),
        ["withinThreshold"] = d.WithinThreshold,
    };

    private static JsonObject Counts(IEnumerable<FrameCandidate> frames)
    {
        var list = frames as IReadOnlyCollection<FrameCandidate> ?? [.. frames];
        return new JsonObject
        {
            ["byTrigger"] = Tally(list.SelectMany(KCenterSelector.Triggers)),
            ["byDevice"] = Tally(list.Select(c => c.Device)),
            ["byClass"] = Tally(list.SelectMany(c => c.Classes)),
            ["byHour"] = Tally(list.Select(c => c.HourOfDay.ToString("00", CultureInfo.InvariantCulture))),
        };
    }

    private static JsonObject Tally(IEnumerable<string> keys)
    {
        var counts = new JsonObject();
        foreach (var group in keys.GroupBy(k => k, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            counts[group.Key] = group.Count();
        }

        return counts;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)v)]);
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace DataCentric.Edge.FleetService.Catalog.Comparison;

/// <summary>
/// Sums the <c>byModel</c> agreement counts of dataset import reports for one model hash
/// (the keys <c>edgectl dataset import</c> writes, Agreement.ToJson).
/// </summary>
internal sealed class ReviewedTally
{
    private static readonly string[] Counts =
        ["frames", "framesWithoutModelBoxes", "modelRightFrames", "modelBoxes", "reviewedBoxes", "matchedBoxes", "sameClass", "events", "eventsTrue"];

    private readonly long[] _sums = new long[Counts.Length];
    private readonly List<string> _reports = [];

    /// <summary>The latest import report of each dataset (reports come newest first), parsed once.</summary>
    public static List<(string ReportId, JsonObject ByModel)> LatestPerDataset(IEnumerable<DatasetReport> reports)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var latest = new List<(string, JsonObject)>();
        foreach (var report in reports.Where(r => r.Kind == "import").OrderByDescending(r => r.CreatedAt))
        {
            if (!seen.Add(report.Dataset))
            {
                continue;
            }

            try
            {
                if (JsonNode.Parse(report.Json)?["byModel"] is JsonObject byModel)
                {
                    latest.Add((report.ReportId, byModel));
                }
            }
            catch (JsonException)
            {
                // Stored reports were parsed when posted; one that no longer parses has no figures to give.
            }
        }

        return latest;
    }

    /// <summary>Adds the report's entry for <paramref name="sha256"/> when it has one with every count.</summary>
    public void Add(string reportId, JsonObject byModel, string sha256)
    {
        var entry = byModel.FirstOrDefault(p => string.Equals(p.Key, sha256, StringComparison.OrdinalIgnoreCase)).Value as JsonObject;
        if (entry is null)
        {
            return;
        }

        var values = new long[Counts.Length];
        for (var i = 0; i < Counts.Length; i++)
        {
            if (entry[Counts[i]] is not JsonValue value || !value.TryGetValue(out long count) || count < 0)
            {
                return;
            }

            values[i] = count;
        }

        for (var i = 0; i < values.Length; i++)
        {
            _sums[i] += values[i];
        }

        _reports.Add(reportId);
    }

    public ReviewedFigures? ToFigures() => _reports.Count == 0 ? null
        : new ReviewedFigures(_reports, _sums[0], _sums[1], _sums[2], _sums[3], _sums[4], _sums[5], _sums[6], _sums[7], _sums[8]);
}

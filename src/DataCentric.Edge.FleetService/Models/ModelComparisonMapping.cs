using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog.Comparison;

namespace DataCentric.Edge.FleetService.Models;

/// <summary>The catalog's model comparison as the API writes it.</summary>
internal static class ModelComparisonMapping
{
    /// <summary>What the rates are per; <see cref="ModelComparison"/> has the full rules.</summary>
    public const string Exposure =
        "exposureHours = device-hours the agent was running (from an agent start, a trigger counter report's startedAt, to the last " +
        "counter report of that start) while the version was the device's active model (its latest model ack's activeVersion), inside the window; " +
        "eventsPerHour and clipsPerHour = events and clips in the window attributed to the version (a clip by the model hash it carries, an event " +
        "by its clip's hash, else by the version active at its time) / exposureHours; reviewed = the latest dataset import report of each dataset, " +
        "byModel entry of the version's hash, counts summed (not limited by window or device)";

    public static ApiModelComparison ToApi(this ModelComparison c, string? device, string? group) => new(
        c.Name, c.Fleet, device, group, c.From, c.To, c.Devices, Exposure,
        [.. c.Versions.Select(v => new ApiModelVersionFigures(
            v.Version, v.Sha256, v.Devices, v.ExposureHours, v.Events, v.Clips, v.EventsPerHour, v.ClipsPerHour,
            [.. v.Triggers.Select(t => new ApiTriggerFigures(t.TriggerId, t.Events, t.DryRunEvents, t.Clips, t.EventsPerHour, t.ClipsPerHour))],
            v.Reviewed is { } r
                ? new ApiReviewedFigures(
                    r.ReportIds, r.Frames, r.ModelBoxes, r.ReviewedBoxes, r.MatchedBoxes, r.Events, r.EventsTrue,
                    r.BoxPrecision, r.BoxRecall, r.ClassAccuracy, r.ModelRight, r.TriggerPrecision)
                : null))],
        c.UnattributedHours, c.UnattributedEvents, c.UnattributedClips);
}

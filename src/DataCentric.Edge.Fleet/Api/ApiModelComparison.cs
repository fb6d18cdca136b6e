namespace DataCentric.Edge.Fleet.Api;

/// <summary>
/// <c>GET /api/models/{name}/compare</c>: the model's versions side by side, newest first. <see cref="Exposure"/>
/// says what the rates are per (the README's "Comparing model versions" says the same).
/// </summary>
/// <param name="Devices">Devices that reported the model (a model release ack) within the filters.</param>
/// <param name="Group">The group asked for; its members are the devices the fleet saw ack a rollout stage that targeted it.</param>
/// <param name="UnattributedHours">Running hours of those devices when no version of the model was known to be active.</param>
public sealed record ApiModelComparison(
    string Name,
    string? Fleet,
    string? Device,
    string? Group,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Devices,
    string Exposure,
    IReadOnlyList<ApiModelVersionFigures> Versions,
    double UnattributedHours,
    long UnattributedEvents,
    long UnattributedClips);

/// <param name="Sha256">The release's file hash (from the acks); events, clips and reviews are matched by it.</param>
/// <param name="ExposureHours">Device-hours the agent ran with this version active (see <see cref="ApiModelComparison.Exposure"/>).</param>
/// <param name="EventsPerHour">Events per exposure hour; null without exposure.</param>
/// <param name="Reviewed">Null when no stored dataset import report has figures for this version.</param>
public sealed record ApiModelVersionFigures(
    int Version,
    string? Sha256,
    int Devices,
    double ExposureHours,
    long Events,
    long Clips,
    double? EventsPerHour,
    double? ClipsPerHour,
    IReadOnlyList<ApiTriggerFigures> Triggers,
    ApiReviewedFigures? Reviewed);

/// <param name="DryRunEvents">Of the events, those of a trigger in dry-run mode.</param>
public sealed record ApiTriggerFigures(string TriggerId, long Events, long DryRunEvents, long Clips, double? EventsPerHour, double? ClipsPerHour);

/// <summary>
/// The agreement of reviewed labels with the version (edgectl dataset import), summed over the latest
/// import report of each dataset: ratios from 0 to 1, null when their denominator is 0.
/// </summary>
/// <param name="Reports">The report ids summed, newest first.</param>
public sealed record ApiReviewedFigures(
    IReadOnlyList<string> Reports,
    long Frames,
    long ModelBoxes,
    long ReviewedBoxes,
    long MatchedBoxes,
    long Events,
    long EventsTrue,
    double? BoxPrecision,
    double? BoxRecall,
    double? ClassAccuracy,
    double? ModelRight,
    double? TriggerPrecision);

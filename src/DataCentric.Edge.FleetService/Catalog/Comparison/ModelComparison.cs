namespace DataCentric.Edge.FleetService.Catalog.Comparison;

/// <summary>
/// One model's versions side by side over the devices that reported it (a model release ack of this name).
/// <para><b>Exposure</b> (the rates' denominator): the hours a device's agent was running while the
/// version was its active model, summed over devices, inside the window. Running = from an agent
/// start (a trigger counter report's <c>startedAt</c>) to the last counter report of that start, so
/// time after the last report of a run, before the device's first model ack, or while the device ran
/// no version of the model (active version 0) counts for no version. The active version at a time is
/// the <c>activeVersion</c> of the device's latest model ack at or before it (the catalog keeps the
/// latest ack per version, so a probation that ended in rollback leaves the previous version active).</para>
/// <para><b>Events and clips</b> in the window (event wall clock, clip start) on those devices: a clip
/// counts for the version whose SHA-256 it carries; an event for its clip's version, else for the
/// version active on its device at its time; one that matches no version is counted as unattributed.
/// A clip or event with several triggers counts once for each.</para>
/// <para><b>Reviewed</b> figures: from the latest import report of each dataset (<c>edgectl dataset
/// import</c>), the <c>byModel</c> entry keyed by the version's SHA-256, counts summed over datasets and
/// the ratios recomputed; not limited by the window or the devices (a report has no per-device figures).</para>
/// </summary>
/// <param name="UnattributedHours">Running hours on those devices when no version of the model was known to be active.</param>
public sealed record ModelComparison(
    string Name,
    string? Fleet,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Devices,
    IReadOnlyList<ModelVersionFigures> Versions,
    double UnattributedHours,
    long UnattributedEvents,
    long UnattributedClips);

/// <summary>One version: where it ran, how often each trigger fired per hour of it, and how reviewers judged it.</summary>
/// <param name="Sha256">The release's file hash from the acks; null when no ack named it.</param>
/// <param name="Devices">Devices with exposure, an event or a clip for this version.</param>
/// <param name="Reviewed">Null when no stored import report has figures for this version's hash.</param>
public sealed record ModelVersionFigures(
    int Version,
    string? Sha256,
    int Devices,
    double ExposureHours,
    long Events,
    long Clips,
    IReadOnlyList<TriggerFigures> Triggers,
    ReviewedFigures? Reviewed)
{
    /// <summary>Events per exposure hour; null without exposure.</summary>
    public double? EventsPerHour => Rates.PerHour(Events, ExposureHours);

    public double? ClipsPerHour => Rates.PerHour(Clips, ExposureHours);
}

/// <param name="DryRunEvents">Of <paramref name="Events"/>, those of triggers in dry-run mode (counted, not recorded).</param>
public sealed record TriggerFigures(string TriggerId, long Events, long DryRunEvents, long Clips, double? EventsPerHour, double? ClipsPerHour);

/// <summary>
/// The agreement counts of <c>edgectl dataset import</c> (Agreement.cs) summed over reports, with its ratios:
/// box precision = matched / model boxes, recall = matched / reviewed boxes, class accuracy = same class / matched,
/// model right = right frames / frames with model boxes, trigger precision = true events / events.
/// </summary>
public sealed record ReviewedFigures(
    IReadOnlyList<string> ReportIds,
    long Frames,
    long FramesWithoutModelBoxes,
    long ModelRightFrames,
    long ModelBoxes,
    long ReviewedBoxes,
    long MatchedBoxes,
    long SameClass,
    long Events,
    long EventsTrue)
{
    public double? BoxPrecision => Rates.Ratio(MatchedBoxes, ModelBoxes);

    public double? BoxRecall => Rates.Ratio(MatchedBoxes, ReviewedBoxes);

    public double? ClassAccuracy => Rates.Ratio(SameClass, MatchedBoxes);

    public double? ModelRight => Rates.Ratio(ModelRightFrames, Frames - FramesWithoutModelBoxes);

    public double? TriggerPrecision => Rates.Ratio(EventsTrue, Events);
}

internal static class Rates
{
    public static double? PerHour(long count, double hours) => hours > 0 ? Math.Round(count / hours, 6) : null;

    public static double? Ratio(long part, long whole) => whole > 0 ? Math.Round((double)part / whole, 6) : null;
}

using DataCentric.Edge.Cli.Commands.Prelabels;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// Which frames a dataset may take: by device, trigger, time, shadow model (SHA-256 prefix or name),
/// and by the shadow model's boxes: a class filter keeps frames with a box of one of the classes, a
/// score range keeps frames with a box scored within it (with both, the same box must pass both).
/// Empty sets and null bounds let everything through.
/// </summary>
internal sealed record DatasetFilter(
    IReadOnlySet<string> Devices,
    IReadOnlySet<string> Triggers,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? Model,
    IReadOnlySet<string> Classes,
    double? MinScore,
    double? MaxScore)
{
    public static DatasetFilter All { get; } = new(
        new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal), null, null, null,
        new HashSet<string>(StringComparer.Ordinal), null, null);

    private bool FiltersBoxes => Classes.Count > 0 || MinScore is not null || MaxScore is not null;

    /// <summary>What a catalog knows before the clip is opened; unknown facts pass.</summary>
    public bool MayHold(SourceClip clip) =>
        (Devices.Count == 0 || clip.Device is null || Devices.Contains(clip.Device))
        && (Triggers.Count == 0 || clip.TriggerIds is null || clip.TriggerIds.Any(Triggers.Contains))
        && (From is null || clip.EndWall is null || clip.EndWall >= From)
        && (To is null || clip.StartWall is null || clip.StartWall <= To);

    /// <summary>The frame itself: its clip's device, triggers and model, its time, and its boxes.</summary>
    public bool Takes(LabelledFrame frame, ClassNames classes)
    {
        if ((Devices.Count > 0 && !Devices.Contains(frame.Device))
            || (Triggers.Count > 0 && !frame.TriggerIds.Any(Triggers.Contains))
            || (From is { } from && frame.Frame.WallClock < from)
            || (To is { } to && frame.Frame.WallClock > to)
            || (Model is { } model && !frame.ModelSha256.StartsWith(model, StringComparison.OrdinalIgnoreCase) && !string.Equals(frame.ModelName, model, StringComparison.Ordinal)))
        {
            return false;
        }

        return !FiltersBoxes || (frame.Boxes ?? []).Any(b =>
            (Classes.Count == 0 || Classes.Contains(classes.Name(b.ClassId)))
            && (MinScore is not { } min || b.Score >= min)
            && (MaxScore is not { } max || b.Score <= max));
    }
}

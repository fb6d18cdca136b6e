namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// What selection keeps of a frame that passed the filter: where it is (clip, sequence, time) and the
/// few facts quotas and the report need. The image itself stays in its clip file until it is written.
/// </summary>
internal sealed record FrameCandidate(
    int ClipIndex,
    long Sequence,
    TimeSpan Time,
    string Device,
    IReadOnlyList<string> TriggerIds,
    int HourOfDay,
    IReadOnlyList<string> Classes,
    float[] Feature);

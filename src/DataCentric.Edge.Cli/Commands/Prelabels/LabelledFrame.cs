using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>A box in pixels from the image's top-left corner, already clipped to the image.</summary>
internal readonly record struct PixelBox(int ClassId, double Score, double X, double Y, double Width, double Height);

/// <summary>
/// One exported frame and its draft labels: the shadow model's boxes (null when the clip has no
/// detection signal, empty when the model saw nothing), its other outputs, the primary controller's
/// decision and the triggers around it.
/// </summary>
internal sealed record LabelledFrame(
    string ClipFile,
    string ClipId,
    string Device,
    string ModelSha256,
    string ModelName,
    Frame Frame,
    string ImageName,
    IReadOnlyList<PixelBox>? Boxes,
    bool HasShadowOutput,
    int ClippedBoxes,
    int DroppedBoxes,
    IReadOnlyDictionary<string, double> ModelValues,
    IReadOnlyDictionary<string, double> PrimaryValues,
    IReadOnlyList<string> TriggerIds);

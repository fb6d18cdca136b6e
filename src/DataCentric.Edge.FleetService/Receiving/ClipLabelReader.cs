using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.FleetService.Receiving;

/// <summary>
/// A clip's labels (<see cref="Catalog.CatalogClip.Labels"/>): the class ids in its shadow model's
/// detections signals (<c>shadow.*</c>, e.g. <c>shadow.boxes</c>), as <c>class-N</c>, sorted by id, each once.
/// The clip carries class ids only (the detections signal and its Foxglove annotations), so that is the name
/// the fleet can give them without a second source of class names.
/// </summary>
internal static class ClipLabelReader
{
    public const string ShadowSignalPrefix = "shadow.";

    public static string[] From(ClipContent clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var ids = new SortedSet<int>();
        foreach (var update in clip.Signals)
        {
            if (update.Sample.Value.Kind == SignalKind.Detections && update.Name.StartsWith(ShadowSignalPrefix, StringComparison.Ordinal))
            {
                foreach (var detection in update.Sample.Value.AsDetections)
                {
                    ids.Add(detection.ClassId);
                }
            }
        }

        return [.. ids.Select(NameOf)];
    }

    public static string NameOf(int classId) => string.Create(CultureInfo.InvariantCulture, $"class-{classId}");
}

using DataCentric.Edge.Cli.Commands.Prelabels;
using DataCentric.Edge.Fleet.Receiver;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// The embedded default catalog: the folder <c>edgectl receive</c> (or the demo) collects clips into,
/// <c>{fleet}/{device}/{date}/{file}</c> with <c>index.jsonl</c> at the top. With an index, clips are
/// pre-filtered by device, trigger and time without opening them; a plain folder of clips works too
/// (every clip is then read and filtered by its own metadata). Reports live in <c>reports/</c> beside it.
/// </summary>
internal static class LocalClipCatalog
{
    public const string ReportsFolder = "reports";

    public static IReadOnlyList<SourceClip> List(string root, DatasetFilter filter)
    {
        if (!Directory.Exists(root))
        {
            throw new PrelabelInputException($"{Path.GetFullPath(root)}: no such catalog folder.");
        }

        if (!File.Exists(Path.Combine(root, ReceivedClipIndex.FileName)))
        {
            return [.. ClipInputs.Resolve([root]).Select(f => new SourceClip(f.FullName, null, null, null, null))];
        }

        var clips = new List<SourceClip>();
        foreach (var record in ReceivedClipIndex.ReadAll(root).OrderBy(r => r.StartWall).ThenBy(r => r.ClipId, StringComparer.Ordinal))
        {
            var clip = new SourceClip(Path.Combine(root, record.RelativePath), record.Device, record.TriggerIds, record.StartWall, record.EndWall);
            if (filter.MayHold(clip))
            {
                clips.Add(clip);
            }
        }

        return clips;
    }
}

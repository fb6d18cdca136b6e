using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Buffer;

/// <summary>
/// Which clips to delete to free space: lowest priority first, then oldest; clips the fleet has
/// not yet received only after every received one; pinned clips never.
/// </summary>
public static class RetentionPolicy
{
    /// <summary>The order clips would be evicted in; pinned and no-longer-stored clips are absent.</summary>
    public static IEnumerable<StoredClip> EvictionOrder(IEnumerable<StoredClip> clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        return clips
            .Where(c => !c.Pinned && c.FileState == ClipFileState.Stored)
            .OrderBy(c => c.IsUploadOutstanding)
            .ThenBy(c => c.Priority)
            .ThenBy(c => c.CreatedAt)
            .ThenBy(c => c.ClipId, StringComparer.Ordinal);
    }

    /// <summary>Clips from the front of the eviction order until their sizes add up to <paramref name="bytesToFree"/> (all of them if they never do).</summary>
    public static IReadOnlyList<StoredClip> ChooseEvictions(IEnumerable<StoredClip> clips, long bytesToFree)
    {
        var chosen = new List<StoredClip>();
        var freed = 0L;
        foreach (var clip in EvictionOrder(clips))
        {
            if (freed >= bytesToFree)
            {
                break;
            }

            chosen.Add(clip);
            freed += clip.SizeBytes;
        }

        return chosen;
    }
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Buffer;

/// <summary>The result of offering one clip to the buffer.</summary>
public sealed record StoreOutcome(StoredClip? Stored, string? AbandonedBecause, RetentionResult Retention)
{
    public bool IsStored => Stored is not null;
}

/// <summary>
/// The local buffer as the storage worker sees it: stores clips, applies retention after each one,
/// abandons a clip that cannot be written (full disk, I/O error) without stopping, and runs the
/// periodic maintenance (retention, hash scrub). Calls are serialised, so a maintenance pass and a
/// clip never evict the same clip twice.
/// </summary>
public sealed class ClipBuffer(ClipFileStore store, IClipFileIndex catalog, ClipRetention retention, StorageOptions options, ILogger logger)
{
    private readonly Queue<StoredClip> _scrubQueue = new();
    private readonly Lock _gate = new();

    public ClipFileStore Files => store;

    public StoreOutcome Store(ClipContent clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        lock (_gate)
        {
            return StoreLocked(clip);
        }
    }

    /// <summary>Retention, then a hash check of the next few stored clips.</summary>
    public (RetentionResult Retention, int Scrubbed, int Corrupt) Maintain()
    {
        lock (_gate)
        {
            return MaintainLocked();
        }
    }

    private StoreOutcome StoreLocked(ClipContent clip)
    {
        StoredClip stored;
        try
        {
            stored = store.Save(clip);
        }
        catch (Exception e) when (e is IOException or LiteDB.LiteException or ArgumentException or InvalidOperationException)
        {
            // One clip that cannot be written (full disk, I/O error, content the writer refuses) must not stop the buffer.
            logger.Abandoned(clip.ClipId, e.Message);

            // A full disk is met by the policy: free the floor plus about what this clip needed.
            var wanted = e is IOException io && StorageFullException.IsDiskFull(io) ? clip.Frames.Sum(f => (long)f.Data.Length) : 0;
            return new StoreOutcome(null, e.Message, TryEnforce(wanted, wanted > 0 ? $"disk full while writing clip {clip.ClipId}" : null));
        }

        return new StoreOutcome(stored, null, TryEnforce(0, null));
    }

    private (RetentionResult Retention, int Scrubbed, int Corrupt) MaintainLocked()
    {
        var result = TryEnforce(0, null);
        if (_scrubQueue.Count == 0)
        {
            foreach (var clip in catalog.StoredClips())
            {
                _scrubQueue.Enqueue(clip);
            }
        }

        int scrubbed = 0, corrupt = 0;
        while (scrubbed < options.ScrubClipsPerPass && _scrubQueue.TryDequeue(out var next))
        {
            var current = catalog.FindClip(next.ClipId);
            if (current is not { FileState: ClipFileState.Stored })
            {
                continue;
            }

            scrubbed++;
            switch (store.Verify(current))
            {
                case ClipFileCheck.Corrupt:
                    corrupt++;
                    logger.Quarantined(current.ClipId);
                    break;
                case ClipFileCheck.Missing:
                    logger.Missing(current.ClipId);
                    break;
                default:
                    break;
            }
        }

        return (result, scrubbed, corrupt);
    }

    private RetentionResult TryEnforce(long extraBytes, string? cause)
    {
        try
        {
            return retention.Enforce(extraBytes, cause);
        }
        catch (Exception e) when (e is IOException or LiteDB.LiteException)
        {
            logger.StillShort(extraBytes, e.Message);
            return new RetentionResult([], 0, extraBytes);
        }
    }
}

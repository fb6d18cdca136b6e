using System.Globalization;
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
/// The local buffer as the storage worker sees it: stores clips (making room under the quota before
/// each one enters the clip folder, and applying retention after it),
/// abandons a clip that cannot be written (full disk, I/O error) without stopping, and runs the
/// periodic maintenance (retention, hash scrub). Calls are serialised, so a maintenance pass and a
/// clip never evict the same clip twice.
/// </summary>
public sealed class ClipBuffer(ClipFileStore store, IClipFileIndex catalog, ClipRetention retention, StorageOptions options, ILogger logger)
{
    // A catalog far over its history bound (one written before the bound existed) drains over passes, not in one long hold.
    private const int MaxForgottenPerPass = 2_000;

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
        PreparedClip prepared;
        try
        {
            prepared = store.Prepare(clip);
        }
        catch (Exception e) when (IsClipFault(e))
        {
            return Abandon(clip, e, RetentionResult.None);
        }

        // Room is made before the clip enters the folder, so the clip files never exceed the quota.
        RetentionResult room;
        try
        {
            room = retention.MakeRoomFor(prepared.Clip);
        }
        catch (Exception e) when (e is IOException or LiteDB.LiteException)
        {
            ClipFileStore.Discard(prepared);
            return Abandon(clip, e, RetentionResult.None);
        }

        if (room.ShortfallBytes > 0)
        {
            ClipFileStore.Discard(prepared);
            var reason = string.Create(
                CultureInfo.InvariantCulture,
                $"no room in the clip quota of {options.ClipQuotaBytes} bytes for its {prepared.Clip.SizeBytes} bytes: {room.ShortfallBytes} bytes short after evicting every clip the retention policy ranks before it");
            logger.Abandoned(clip.ClipId, reason);
            return new StoreOutcome(null, reason, room.Then(TryEnforce(0, null)));
        }

        StoredClip stored;
        try
        {
            stored = store.Commit(prepared);
        }
        catch (Exception e) when (IsClipFault(e))
        {
            return Abandon(clip, e, room);
        }

        return new StoreOutcome(stored, null, room.Then(TryEnforce(0, null)));
    }

    // One clip that cannot be written (full disk, I/O error, content the writer refuses) must not stop the buffer.
    private static bool IsClipFault(Exception e) => e is IOException or LiteDB.LiteException or ArgumentException or InvalidOperationException;

    private StoreOutcome Abandon(ClipContent clip, Exception e, RetentionResult before)
    {
        logger.Abandoned(clip.ClipId, e.Message);

        // A full disk is met by the policy: free the floor plus about what this clip needed.
        var wanted = e is IOException io && StorageFullException.IsDiskFull(io) ? clip.Frames.Sum(f => (long)f.Data.Length) : 0;
        return new StoreOutcome(null, e.Message, before.Then(TryEnforce(wanted, wanted > 0 ? $"disk full while writing clip {clip.ClipId}" : null)));
    }

    private (RetentionResult Retention, int Scrubbed, int Corrupt) MaintainLocked()
    {
        var result = TryEnforce(0, null);
        ForgetOldHistory();
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

    /// <summary>Keeps the catalog's history bounded (<see cref="StorageOptions.HistoryRecords"/>); a failure waits for the next pass.</summary>
    private void ForgetOldHistory()
    {
        try
        {
            var forgotten = catalog.ForgetOldHistory(options.HistoryRecords, MaxForgottenPerPass);
            if (forgotten.Total > 0)
            {
                logger.HistoryForgotten(forgotten.Clips, forgotten.Events, forgotten.Evictions, options.HistoryRecords);
            }
        }
        catch (Exception e) when (e is IOException or LiteDB.LiteException)
        {
            logger.HistoryNotForgotten(e.Message);
        }
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

using System.Globalization;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Buffer;

/// <summary>What one retention pass did.</summary>
public sealed record RetentionResult(IReadOnlyList<ClipEviction> Evictions, long BytesFreed, long ShortfallBytes)
{
    public static RetentionResult None { get; } = new([], 0, 0);

    /// <summary>This pass followed by <paramref name="later"/>: both passes' evictions, the later one's shortfall.</summary>
    public RetentionResult Then(RetentionResult later)
    {
        ArgumentNullException.ThrowIfNull(later);
        return new([.. Evictions, .. later.Evictions], BytesFreed + later.BytesFreed, later.ShortfallBytes);
    }
}

/// <summary>
/// Keeps the clip folder under its quota and the disk above its free-space floor by deleting clips
/// in <see cref="RetentionPolicy"/> order. Every eviction is recorded in the catalog (clip marked
/// evicted, eviction kept) and logged.
/// </summary>
/// <param name="freeDiskBytes">Free space on the clip folder's disk; the real disk's unless a test simulates one.</param>
public sealed class ClipRetention(ClipFileStore store, IClipFileIndex catalog, StorageOptions options, TimeProvider timeProvider, ILogger logger, Func<long>? freeDiskBytes = null)
{
    /// <summary>Bytes free on the disk holding the clip folder.</summary>
    public long FreeDiskBytes() => freeDiskBytes?.Invoke() ?? new DriveInfo(store.ClipDirectory).AvailableFreeSpace;

    /// <param name="extraBytes">Room wanted on top of the floor (e.g. for a clip that just failed to fit).</param>
    public RetentionResult Enforce(long extraBytes = 0, string? cause = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extraBytes);
        var stored = catalog.StoredClips();
        var used = stored.Sum(c => c.SizeBytes);
        var free = FreeDiskBytes();
        var overQuota = used - options.ClipQuotaBytes;
        var underFloor = options.MinFreeDiskBytes + extraBytes - free;
        var needed = Math.Max(0, Math.Max(overQuota, underFloor));
        if (needed == 0)
        {
            return RetentionResult.None;
        }

        var reason = cause ?? (overQuota >= underFloor
            ? string.Create(CultureInfo.InvariantCulture, $"quota: {used} bytes of clips, quota {options.ClipQuotaBytes}")
            : string.Create(CultureInfo.InvariantCulture, $"free-space floor: {free} bytes free, floor {options.MinFreeDiskBytes}, wanted {extraBytes} more"));
        var evictions = Evict(RetentionPolicy.ChooseEvictions(stored, needed), reason);
        var freed = evictions.Sum(e => e.SizeBytes);
        var shortfall = Math.Max(0, needed - freed);
        if (shortfall > 0)
        {
            logger.StillShort(shortfall, reason);
        }

        return new RetentionResult(evictions, freed, shortfall);
    }

    /// <summary>
    /// Makes room under the quota for a clip about to enter the clip folder, so the folder never holds
    /// more than the quota: evicts, in policy order, the clips that rank before <paramref name="incoming"/>
    /// until it fits. When it would have to go itself first (it ranks below every clip that could make
    /// the room, or nothing can), nothing is evicted and the shortfall is returned: the clip is refused.
    /// </summary>
    public RetentionResult MakeRoomFor(StoredClip incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        var stored = catalog.StoredClips();
        var used = stored.Sum(c => c.SizeBytes);
        var needed = used + incoming.SizeBytes - options.ClipQuotaBytes;
        if (needed <= 0)
        {
            return RetentionResult.None;
        }

        // The same choice retention would make right after storing it, minus the clip itself.
        var chosen = RetentionPolicy.ChooseEvictions([.. stored, incoming], needed);
        var ahead = chosen.TakeWhile(c => !string.Equals(c.ClipId, incoming.ClipId, StringComparison.Ordinal)).ToList();
        if (ahead.Count < chosen.Count)
        {
            return new RetentionResult([], 0, needed - ahead.Sum(c => c.SizeBytes));
        }

        var reason = string.Create(CultureInfo.InvariantCulture, $"quota: {used} bytes of clips, quota {options.ClipQuotaBytes}, room for clip {incoming.ClipId} ({incoming.SizeBytes} bytes)");
        var evictions = Evict(ahead, reason);
        var freed = evictions.Sum(e => e.SizeBytes);

        // Short only when a pin came in between: the clip is then refused like one that never fitted.
        return new RetentionResult(evictions, freed, Math.Max(0, needed - freed));
    }

    private List<ClipEviction> Evict(IEnumerable<StoredClip> chosen, string reason)
    {
        var evictions = new List<ClipEviction>();
        foreach (var clip in chosen)
        {
            // A pin may have come (a command) since the clips were read: it wins.
            if (catalog.FindClip(clip.ClipId) is { Pinned: true })
            {
                continue;
            }

            // Recorded first: a crash before the delete leaves a file reconciliation removes, never a silent loss.
            var eviction = new ClipEviction(clip.ClipId, timeProvider.GetUtcNow(), reason, clip.Priority, clip.UploadState, clip.SizeBytes, clip.TriggerIds);
            catalog.RecordEviction(eviction);
            store.DeleteFile(clip);
            logger.Evicted(clip.ClipId, reason, clip.Priority, clip.UploadState, clip.SizeBytes);
            evictions.Add(eviction);
        }

        return evictions;
    }
}

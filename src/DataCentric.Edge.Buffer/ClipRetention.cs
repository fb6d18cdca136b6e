using System.Globalization;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Buffer;

/// <summary>What one retention pass did.</summary>
public sealed record RetentionResult(IReadOnlyList<ClipEviction> Evictions, long BytesFreed, long ShortfallBytes);

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
            return new RetentionResult([], 0, 0);
        }

        var reason = cause ?? (overQuota >= underFloor
            ? string.Create(CultureInfo.InvariantCulture, $"quota: {used} bytes of clips, quota {options.ClipQuotaBytes}")
            : string.Create(CultureInfo.InvariantCulture, $"free-space floor: {free} bytes free, floor {options.MinFreeDiskBytes}, wanted {extraBytes} more"));
        var evictions = new List<ClipEviction>();
        var freed = 0L;
        foreach (var clip in RetentionPolicy.ChooseEvictions(stored, needed))
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
            freed += clip.SizeBytes;
        }

        var shortfall = Math.Max(0, needed - freed);
        if (shortfall > 0)
        {
            logger.StillShort(shortfall, reason);
        }

        return new RetentionResult(evictions, freed, shortfall);
    }
}

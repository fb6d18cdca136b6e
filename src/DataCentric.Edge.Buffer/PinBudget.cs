using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Buffer;

/// <summary>The pin cap: <see cref="StorageOptions.MaxPinnedQuotaPercent"/> of <see cref="StorageOptions.ClipQuotaBytes"/>.</summary>
public sealed class PinBudget(IClipFileIndex catalog, StorageOptions options) : IPinBudget
{
    // Split so that a quota near long.MaxValue cannot overflow.
    public long MaxPinnedBytes => (options.ClipQuotaBytes / 100 * options.MaxPinnedQuotaPercent) + (options.ClipQuotaBytes % 100 * options.MaxPinnedQuotaPercent / 100);

    public long PinnedBytes() => catalog.StoredClips().Where(c => c.Pinned && c.FileState == ClipFileState.Stored).Sum(c => c.SizeBytes);
}

using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Buffer;

/// <summary>The pin cap: <see cref="StorageOptions.MaxPinnedQuotaPercent"/> of <see cref="StorageOptions.ClipQuotaBytes"/>.</summary>
public sealed class PinBudget(IClipFileIndex catalog, StorageOptions options) : IPinBudget
{
    public long MaxPinnedBytes => options.ClipQuotaBytes / 100 * options.MaxPinnedQuotaPercent;

    public long PinnedBytes() => catalog.StoredClips().Where(c => c.Pinned && c.FileState == ClipFileState.Stored).Sum(c => c.SizeBytes);
}

using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Buffer;

/// <summary>The local clip buffer: how much disk it may use and how the catalog is kept bounded.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Most bytes of clip files kept; beyond it clips are evicted by priority, then age.</summary>
    [Range(1024, long.MaxValue)]
    public long ClipQuotaBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// Pinned clips count against <see cref="ClipQuotaBytes"/> and are never evicted; a pin that would
    /// take them past this share of the quota is refused, so the rest stays free for new clips.
    /// </summary>
    [Range(0, 90)]
    public int MaxPinnedQuotaPercent { get; set; } = 50;

    /// <summary>
    /// Free space the buffer leaves on its disk for everything else; clips are evicted to keep it.
    /// Should exceed the largest clip, so a clip write seldom meets a full disk.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MinFreeDiskBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How often the catalog's log is checkpointed into its data file (and synced).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Catalog writes after which a checkpoint runs anyway, so the log stays bounded under load.</summary>
    [Range(1, 1_000_000)]
    public int MaxCatalogWritesBetweenCheckpoints { get; set; } = 500;

    /// <summary>
    /// The catalog's history: records of clips whose file is gone (evicted, missing, quarantined), trigger events and
    /// evictions, of each the newest this many are kept for listing and the older ones forgotten at each maintenance
    /// pass, so the catalog file, its read at start and its page cache in memory stay bounded (about 1 KiB of catalog
    /// per record; stored clips and their events are always kept). The fleet keeps what was uploaded.
    /// </summary>
    [Range(100, 10_000_000)]
    public int HistoryRecords { get; set; } = 20_000;

    /// <summary>How often retention is enforced and stored clips are re-hashed.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Stored clips re-hashed per maintenance pass (a corrupt one is quarantined).</summary>
    [Range(0, 10_000)]
    public int ScrubClipsPerPass { get; set; } = 2;
}

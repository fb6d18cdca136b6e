namespace DataCentric.Edge.Core.Storage;

/// <summary>
/// The local catalog of trigger events and clips, the upload outbox, the eviction record and the
/// configuration history, as one store (LiteDbClipCatalog). Each stage depends on the part it uses.
/// Writes are synchronous: the implementation decides its durability point and documents it.
/// </summary>
public interface IClipCatalog : IEventLog, IUploadOutbox, IClipQueries, IClipFileIndex, IConfigHistory
{
    /// <summary>Moves the write-ahead log into the data file and syncs it, so the log stays bounded.</summary>
    void Checkpoint();
}

/// <summary>One clip by id: what every reader of clips needs.</summary>
public interface IClipLookup
{
    StoredClip? FindClip(string clipId);
}

/// <summary>Trigger events as the trigger stage writes them.</summary>
public interface IEventLog
{
    void AddEvent(StoredEvent storedEvent);
}

/// <summary>The uploader's outbox: what to send next, and how far each clip got.</summary>
public interface IUploadOutbox : IClipLookup
{
    /// <summary>Clips not yet sent whose file is stored, highest priority first, then oldest first.</summary>
    IReadOnlyList<StoredClip> PendingUploads(int max);

    void UpdateUpload(string clipId, UploadState state, int chunksSent);

    /// <summary>
    /// Records how far a clip's upload got: <paramref name="chunksSent"/> chunks of
    /// <paramref name="chunkBytes"/> bytes each. The size travels with the position, because a
    /// position counted in chunks of another size points at the wrong bytes.
    /// </summary>
    void UpdateUpload(string clipId, UploadState state, int chunksSent, int chunkBytes);

    IReadOnlyList<StoredClip> ClipsInUploadState(UploadState state, int max);
}

/// <summary>What engineers ask a device for (commands): events and clips by time and trigger, pins.</summary>
public interface IClipQueries : IClipLookup
{
    IReadOnlyList<StoredEvent> RecentEvents(int max);

    IReadOnlyList<StoredClip> RecentClips(int max);

    /// <summary>Events in [from, to), newest first, optionally only those listing <paramref name="triggerId"/>.</summary>
    IReadOnlyList<StoredEvent> FindEvents(DateTimeOffset from, DateTimeOffset to, string? triggerId, int max);

    /// <summary>Clips starting in [from, to), newest first, optionally only those listing <paramref name="triggerId"/>.</summary>
    IReadOnlyList<StoredClip> FindClips(DateTimeOffset from, DateTimeOffset to, string? triggerId, int max);

    void SetPinned(string clipId, bool pinned);
}

/// <summary>The buffer's own record of clip files: what it stored, what is on disk, what it evicted.</summary>
public interface IClipFileIndex : IClipLookup
{
    /// <summary>Records a clip whose file is already durable, and links its events to it. Durable when it returns.</summary>
    void AddClip(StoredClip clip);

    /// <summary>Every clip whose file is (believed) on disk: what retention and reconciliation work on.</summary>
    IReadOnlyList<StoredClip> StoredClips();

    /// <summary>Every catalogued file name with its clip's file state, so reconciliation can tell orphans apart.</summary>
    IReadOnlyDictionary<string, ClipFileState> FileStates();

    void SetFileState(string clipId, ClipFileState state);

    /// <summary>Marks the clip evicted and keeps the eviction, in one transaction.</summary>
    void RecordEviction(ClipEviction eviction);

    IReadOnlyList<ClipEviction> Evictions(int max);

    /// <summary>
    /// Bounds the catalog's history: keeps the newest <paramref name="keep"/> clip records whose file is gone (evicted,
    /// missing, quarantined), the newest <paramref name="keep"/> trigger events and the newest <paramref name="keep"/>
    /// evictions, and removes older ones, at most <paramref name="maxPerPass"/> of each per call (so a large backlog
    /// drains over several calls instead of holding the catalog in one). A stored clip's record and its events are
    /// never removed. Durable when it returns.
    /// </summary>
    ForgottenRecords ForgetOldHistory(int keep, int maxPerPass);
}

/// <summary>Which trigger sets (and other remote config) were active when, for status and rollback.</summary>
public interface IConfigHistory
{
    void AddConfigChange(ConfigChange change);

    IReadOnlyList<ConfigChange> ConfigHistory(string kind, int max);
}

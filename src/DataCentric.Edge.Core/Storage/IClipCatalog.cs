namespace DataCentric.Edge.Core.Storage;

/// <summary>
/// The local catalog of trigger events and clips, the upload outbox, the eviction record and the
/// configuration history. Writes are synchronous: the implementation decides its durability point
/// and documents it.
/// </summary>
public interface IClipCatalog
{
    void AddEvent(StoredEvent storedEvent);

    /// <summary>Records a clip whose file is already durable, and links its events to it. Durable when it returns.</summary>
    void AddClip(StoredClip clip);

    StoredClip? FindClip(string clipId);

    /// <summary>Clips not yet sent whose file is stored, highest priority first, then oldest first.</summary>
    IReadOnlyList<StoredClip> PendingUploads(int max);

    void UpdateUpload(string clipId, UploadState state, int chunksSent);

    IReadOnlyList<StoredEvent> RecentEvents(int max);

    IReadOnlyList<StoredClip> RecentClips(int max);

    /// <summary>Events in [from, to), newest first, optionally only those listing <paramref name="triggerId"/>.</summary>
    IReadOnlyList<StoredEvent> FindEvents(DateTimeOffset from, DateTimeOffset to, string? triggerId, int max);

    /// <summary>Clips starting in [from, to), newest first, optionally only those listing <paramref name="triggerId"/>.</summary>
    IReadOnlyList<StoredClip> FindClips(DateTimeOffset from, DateTimeOffset to, string? triggerId, int max);

    IReadOnlyList<StoredClip> ClipsInUploadState(UploadState state, int max);

    /// <summary>Every clip whose file is (believed) on disk: what retention and reconciliation work on.</summary>
    IReadOnlyList<StoredClip> StoredClips();

    /// <summary>Every catalogued file name with its clip's file state, so reconciliation can tell orphans apart.</summary>
    IReadOnlyDictionary<string, ClipFileState> FileStates();

    void SetFileState(string clipId, ClipFileState state);

    void SetPinned(string clipId, bool pinned);

    /// <summary>Marks the clip evicted and keeps the eviction, in one transaction.</summary>
    void RecordEviction(ClipEviction eviction);

    IReadOnlyList<ClipEviction> Evictions(int max);

    void AddConfigChange(ConfigChange change);

    IReadOnlyList<ConfigChange> ConfigHistory(string kind, int max);

    /// <summary>Moves the write-ahead log into the data file and syncs it, so the log stays bounded.</summary>
    void Checkpoint();
}

namespace DataCentric.Edge.Core.Storage;

/// <summary>
/// The local catalog of trigger events and clips, and the upload outbox. Writes are synchronous:
/// the implementation decides its durability point and documents it.
/// </summary>
public interface IClipCatalog
{
    void AddEvent(StoredEvent storedEvent);

    /// <summary>Records a clip whose file is already durable, and links its events to it.</summary>
    void AddClip(StoredClip clip);

    StoredClip? FindClip(string clipId);

    /// <summary>Clips not yet sent, highest priority first, then oldest first.</summary>
    IReadOnlyList<StoredClip> PendingUploads(int max);

    void UpdateUpload(string clipId, UploadState state, int chunksSent);

    IReadOnlyList<StoredEvent> RecentEvents(int max);

    IReadOnlyList<StoredClip> RecentClips(int max);
}

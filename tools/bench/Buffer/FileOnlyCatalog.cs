using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Bench.Buffer;

/// <summary>Accepts clips and forgets them: isolates the file path of <c>ClipFileStore.Save</c> from the catalog's cost.</summary>
internal sealed class FileOnlyCatalog : IClipCatalog
{
    public void AddClip(StoredClip clip)
    {
    }

    public void AddEvent(StoredEvent storedEvent) => throw new NotSupportedException();

    public StoredClip? FindClip(string clipId) => throw new NotSupportedException();

    public IReadOnlyList<StoredClip> PendingUploads(int max) => throw new NotSupportedException();

    public void UpdateUpload(string clipId, UploadState state, int chunksSent) => throw new NotSupportedException();

    public void UpdateUpload(string clipId, UploadState state, int chunksSent, int chunkBytes) => throw new NotSupportedException();

    public IReadOnlyList<StoredEvent> RecentEvents(int max) => throw new NotSupportedException();

    public IReadOnlyList<StoredClip> RecentClips(int max) => throw new NotSupportedException();

    public IReadOnlyList<StoredEvent> FindEvents(DateTimeOffset from, DateTimeOffset to, string? triggerId, int max) => throw new NotSupportedException();

    public IReadOnlyList<StoredClip> FindClips(DateTimeOffset from, DateTimeOffset to, string? triggerId, int max) => throw new NotSupportedException();

    public IReadOnlyList<StoredClip> ClipsInUploadState(UploadState state, int max) => throw new NotSupportedException();

    public IReadOnlyList<StoredClip> StoredClips() => throw new NotSupportedException();

    public IReadOnlyDictionary<string, ClipFileState> FileStates() => throw new NotSupportedException();

    public void SetFileState(string clipId, ClipFileState state) => throw new NotSupportedException();

    public void SetPinned(string clipId, bool pinned) => throw new NotSupportedException();

    public void RecordEviction(ClipEviction eviction) => throw new NotSupportedException();

    public ForgottenRecords ForgetOldHistory(int keep, int maxPerPass) => throw new NotSupportedException();

    public IReadOnlyList<ClipEviction> Evictions(int max) => throw new NotSupportedException();

    public void AddConfigChange(ConfigChange change) => throw new NotSupportedException();

    public IReadOnlyList<ConfigChange> ConfigHistory(string kind, int max) => throw new NotSupportedException();

    public void Checkpoint()
    {
    }
}

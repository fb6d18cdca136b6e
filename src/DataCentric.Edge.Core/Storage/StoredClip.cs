namespace DataCentric.Edge.Core.Storage;

public enum UploadState
{
    /// <summary>Stored, not yet (completely) sent.</summary>
    Pending,

    /// <summary>Every chunk acknowledged by the broker; waiting for the receiver.</summary>
    Sent,

    /// <summary>The receiver holds an intact copy.</summary>
    Acknowledged,

    /// <summary>The clip's file was gone when its upload came up; reported, not retried.</summary>
    FileMissing,
}

/// <summary>Whether a catalogued clip's file is still there and still what was written.</summary>
public enum ClipFileState
{
    /// <summary>On disk, size and hash as catalogued.</summary>
    Stored,

    /// <summary>Gone from disk although catalogued (found at start or before upload).</summary>
    Missing,

    /// <summary>Its hash no longer matched; moved to the quarantine folder, never uploaded.</summary>
    Quarantined,

    /// <summary>Deleted by the retention policy; the eviction is in the catalog.</summary>
    Evicted,
}

/// <summary>A clip file the agent has reported as stored, as the catalog holds it.</summary>
public sealed record StoredClip(
    string ClipId,
    string FileName,
    long SizeBytes,
    string Sha256,
    int Priority,
    IReadOnlyList<string> TriggerIds,
    IReadOnlyList<string> EventIds,
    DateTimeOffset StartWall,
    DateTimeOffset EndWall,
    int FrameCount,
    string? ModelSha256,
    DateTimeOffset CreatedAt,
    UploadState UploadState = UploadState.Pending,
    int ChunksSent = 0,
    bool Pinned = false,
    ClipFileState FileState = ClipFileState.Stored,
    int ChunkBytes = 0)
{
    /// <summary>Still owed to the fleet: not yet confirmed by the receiver.</summary>
    public bool IsUploadOutstanding => UploadState is UploadState.Pending or UploadState.Sent;
}

/// <summary>A trigger event as catalogued (dry-run events included; they have no clip).</summary>
public sealed record StoredEvent(
    string EventId,
    IReadOnlyList<string> TriggerIds,
    DateTimeOffset WallClock,
    int Priority,
    bool DryRun,
    int TriggerSetVersion,
    string? ModelSha256,
    string? ClipId = null);

/// <summary>A clip file the retention policy deleted, and why: the newest evictions are kept (Storage:HistoryRecords).</summary>
public sealed record ClipEviction(
    string ClipId,
    DateTimeOffset At,
    string Reason,
    int Priority,
    UploadState UploadState,
    long SizeBytes,
    IReadOnlyList<string> TriggerIds);

/// <summary>One configuration the agent applied (trigger set, agent config), for the history engineers ask about.</summary>
/// <param name="Kind">What changed, e.g. <c>trigger-set</c>.</param>
/// <param name="Sha256">Hash of the applied document, so two devices can be compared.</param>
public sealed record ConfigChange(string Kind, int Version, string Sha256, DateTimeOffset AppliedAt, string Source, string? Detail = null);

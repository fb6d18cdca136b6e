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
    bool Pinned = false);

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

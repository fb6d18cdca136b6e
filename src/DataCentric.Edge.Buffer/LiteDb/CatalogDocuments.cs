using DataCentric.Edge.Core.Storage;
using LiteDB;

namespace DataCentric.Edge.Buffer.LiteDb;

// LiteDB maps mutable classes; these stay inside the Uplink project and convert to Core records.
internal sealed class ClipDocument
{
    [BsonId]
    public string Id { get; set; } = string.Empty;

    public string FileName { get; set; } = string.Empty;

    public long SizeBytes { get; set; }

    public string Sha256 { get; set; } = string.Empty;

    public int Priority { get; set; }

    public List<string> TriggerIds { get; set; } = [];

    public List<string> EventIds { get; set; } = [];

    public DateTime StartWall { get; set; }

    public DateTime EndWall { get; set; }

    public int FrameCount { get; set; }

    public string? ModelSha256 { get; set; }

    public DateTime CreatedAt { get; set; }

    public UploadState UploadState { get; set; }

    public int ChunksSent { get; set; }

    /// <summary>The chunk size <see cref="ChunksSent"/> counts in; 0 when unknown (nothing sent, or a catalog from before it was kept).</summary>
    public int ChunkBytes { get; set; }

    public bool Pinned { get; set; }

    public ClipFileState FileState { get; set; }

    public static ClipDocument From(StoredClip c) => new()
    {
        Id = c.ClipId,
        FileName = c.FileName,
        SizeBytes = c.SizeBytes,
        Sha256 = c.Sha256,
        Priority = c.Priority,
        TriggerIds = [.. c.TriggerIds],
        EventIds = [.. c.EventIds],
        StartWall = c.StartWall.UtcDateTime,
        EndWall = c.EndWall.UtcDateTime,
        FrameCount = c.FrameCount,
        ModelSha256 = c.ModelSha256,
        CreatedAt = c.CreatedAt.UtcDateTime,
        UploadState = c.UploadState,
        ChunksSent = c.ChunksSent,
        ChunkBytes = c.ChunkBytes,
        Pinned = c.Pinned,
        FileState = c.FileState,
    };

    public StoredClip ToRecord() => new(
        Id, FileName, SizeBytes, Sha256, Priority, TriggerIds, EventIds, Utc(StartWall), Utc(EndWall), FrameCount,
        ModelSha256, Utc(CreatedAt), UploadState, ChunksSent, Pinned, FileState, ChunkBytes);

    internal static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc));
}

internal sealed class EventDocument
{
    [BsonId]
    public string Id { get; set; } = string.Empty;

    public List<string> TriggerIds { get; set; } = [];

    public DateTime WallClock { get; set; }

    public int Priority { get; set; }

    public bool DryRun { get; set; }

    public int TriggerSetVersion { get; set; }

    public string? ModelSha256 { get; set; }

    public string? ClipId { get; set; }

    public static EventDocument From(StoredEvent e) => new()
    {
        Id = e.EventId,
        TriggerIds = [.. e.TriggerIds],
        WallClock = e.WallClock.UtcDateTime,
        Priority = e.Priority,
        DryRun = e.DryRun,
        TriggerSetVersion = e.TriggerSetVersion,
        ModelSha256 = e.ModelSha256,
        ClipId = e.ClipId,
    };

    public StoredEvent ToRecord() => new(Id, TriggerIds, ClipDocument.Utc(WallClock), Priority, DryRun, TriggerSetVersion, ModelSha256, ClipId);
}

internal sealed class EvictionDocument
{
    [BsonId]
    public ObjectId Id { get; set; } = ObjectId.Empty;

    public string ClipId { get; set; } = string.Empty;

    public DateTime At { get; set; }

    public string Reason { get; set; } = string.Empty;

    public int Priority { get; set; }

    public UploadState UploadState { get; set; }

    public long SizeBytes { get; set; }

    public List<string> TriggerIds { get; set; } = [];

    public static EvictionDocument From(ClipEviction e) => new()
    {
        ClipId = e.ClipId,
        At = e.At.UtcDateTime,
        Reason = e.Reason,
        Priority = e.Priority,
        UploadState = e.UploadState,
        SizeBytes = e.SizeBytes,
        TriggerIds = [.. e.TriggerIds],
    };

    public ClipEviction ToRecord() => new(ClipId, ClipDocument.Utc(At), Reason, Priority, UploadState, SizeBytes, TriggerIds);
}

internal sealed class ConfigChangeDocument
{
    [BsonId]
    public ObjectId Id { get; set; } = ObjectId.Empty;

    public string Kind { get; set; } = string.Empty;

    public int Version { get; set; }

    public string Sha256 { get; set; } = string.Empty;

    public DateTime AppliedAt { get; set; }

    public string Source { get; set; } = string.Empty;

    public string? Detail { get; set; }

    public static ConfigChangeDocument From(ConfigChange c) => new()
    {
        Kind = c.Kind,
        Version = c.Version,
        Sha256 = c.Sha256,
        AppliedAt = c.AppliedAt.UtcDateTime,
        Source = c.Source,
        Detail = c.Detail,
    };

    public ConfigChange ToRecord() => new(Kind, Version, Sha256, ClipDocument.Utc(AppliedAt), Source, Detail);
}

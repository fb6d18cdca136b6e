namespace DataCentric.Edge.Fleet.Api;

/// <summary>A clip the fleet holds, as <c>GET /api/clips</c> lists it; <c>/api/clips/{ClipId}/file</c> serves its bytes.</summary>
/// <param name="ObjectKey">Its key in the fleet's object store (where training pipelines read).</param>
public sealed record ApiClip(
    string ClipId,
    string Fleet,
    string Device,
    string FileName,
    long SizeBytes,
    string Sha256,
    string ObjectKey,
    int Priority,
    IReadOnlyList<string> TriggerIds,
    string? ModelSha256,
    int FrameCount,
    DateTimeOffset StartWall,
    DateTimeOffset EndWall,
    DateTimeOffset ReceivedAt)
{
    /// <summary>
    /// The object classes its shadow model detected (<c>class-N</c>), sorted; <c>GET /api/clips?label=</c> filters
    /// on them. Empty for clips without detections and for clips received before the fleet service read labels.
    /// </summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
}

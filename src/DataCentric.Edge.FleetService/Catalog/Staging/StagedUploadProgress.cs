namespace DataCentric.Edge.FleetService.Catalog.Staging;

/// <summary>
/// How far one clip upload got in staging: its manifest's window and size, and the chunks of the
/// manifest's chunk size staged so far (what a pull's progress shows while the clip arrives).
/// </summary>
public sealed record StagedUploadProgress(
    string ClipId,
    DateTimeOffset StartWall,
    DateTimeOffset EndWall,
    long SizeBytes,
    int ChunkCount,
    int ChunksStaged,
    long BytesStaged);

namespace DataCentric.Edge.Core.Contracts;

/// <summary>Published before a clip's chunks: what the receiver must reassemble and verify.</summary>
public sealed record ClipManifest(
    string ClipId,
    string Fleet,
    string Device,
    string FileName,
    long SizeBytes,
    string Sha256,
    int ChunkBytes,
    int ChunkCount,
    int Priority,
    IReadOnlyList<string> TriggerIds,
    DateTimeOffset StartWall,
    DateTimeOffset EndWall,
    int FrameCount,
    string? ModelSha256)
{
    public static int ChunkCountFor(long sizeBytes, int chunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        return (int)Math.Max(1, (sizeBytes + chunkBytes - 1) / chunkBytes);
    }
}

/// <summary>The receiver's answer once it holds a whole clip (or found it corrupt).</summary>
public sealed record ClipAck(string ClipId, ClipAckStatus Status, string Sha256, string? Detail);

public enum ClipAckStatus
{
    Complete,
    HashMismatch,
}

/// <summary>User properties carried by every chunk, so chunks can be placed even before the manifest.</summary>
public static class ChunkProperties
{
    public const string Index = "chunk-index";
    public const string Count = "chunk-count";
    public const string ChunkBytes = "chunk-bytes";
}

namespace DataCentric.Edge.FleetService.Catalog.Staging;

/// <summary>
/// One chunk as it arrived: its place comes from the chunk's own user properties (CONTRACT.md §Clips 2),
/// so it can be staged before the manifest.
/// </summary>
public sealed record StagedChunk(StagedClip Clip, int ChunkBytes, int Index, int Count, ReadOnlyMemory<byte> Data)
{
    /// <summary>Checks the chunk fits its own declared shape (a clear <see cref="ArgumentException"/> otherwise).</summary>
    internal StagedChunk Validated()
    {
        ArgumentNullException.ThrowIfNull(Clip);
        CatalogGuard.Id(Clip.Fleet, nameof(Clip.Fleet));
        CatalogGuard.Id(Clip.Device, nameof(Clip.Device));
        CatalogGuard.Id(Clip.ClipId, nameof(Clip.ClipId));
        if (ChunkBytes < 1 || Count < 1 || Index < 0 || Index >= Count)
        {
            throw new ArgumentException($"Chunk {Index} of {Count} (chunk size {ChunkBytes}) of clip '{Clip.ClipId}' has no place in its clip.", nameof(Index));
        }

        if (Data.Length == 0 || Data.Length > ChunkBytes)
        {
            throw new ArgumentException($"Chunk {Index} of clip '{Clip.ClipId}' carries {Data.Length} bytes; chunks of this clip hold 1 to {ChunkBytes}.", nameof(Data));
        }

        return this;
    }
}

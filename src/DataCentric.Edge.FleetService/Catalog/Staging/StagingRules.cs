using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Catalog.Staging;

/// <summary>The checks both staging stores make before writing a manifest.</summary>
internal static class StagingRules
{
    /// <summary>The manifest's key, after checking its ids, hash and chunk arithmetic (a clear <see cref="ArgumentException"/> otherwise).</summary>
    public static StagedClip Manifest(ClipManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var clip = new StagedClip(
            CatalogGuard.Id(manifest.Fleet, nameof(manifest.Fleet)),
            CatalogGuard.Id(manifest.Device, nameof(manifest.Device)),
            CatalogGuard.Id(manifest.ClipId, nameof(manifest.ClipId)));
        CatalogGuard.Sha256(manifest.Sha256, nameof(manifest.Sha256));
        if (manifest.SizeBytes < 0 || manifest.ChunkBytes < 1
            || manifest.ChunkCount != ClipManifest.ChunkCountFor(manifest.SizeBytes, manifest.ChunkBytes))
        {
            throw new ArgumentException(
                $"Manifest of clip '{manifest.ClipId}' declares {manifest.SizeBytes} bytes in {manifest.ChunkCount} chunks of {manifest.ChunkBytes} bytes, which do not add up.",
                nameof(manifest));
        }

        return clip;
    }

    /// <summary>True when a new copy of a manifest describes other bytes or another chunking than the staged one.</summary>
    public static bool Changes(ClipManifest held, ClipManifest next) =>
        held.Sha256 != next.Sha256 || held.SizeBytes != next.SizeBytes || held.ChunkBytes != next.ChunkBytes || held.ChunkCount != next.ChunkCount;

    /// <summary>True when the chunks staged for <paramref name="held"/> still belong to <paramref name="next"/>'s bytes.</summary>
    public static bool KeepsContent(ClipManifest held, ClipManifest next) => held.Sha256 == next.Sha256 && held.SizeBytes == next.SizeBytes;
}

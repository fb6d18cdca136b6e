using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.Staging;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>A clip's bytes cut into chunks as a device does (CONTRACT.md §Clips), with its manifest: for staging and receiver tests.</summary>
internal sealed record StagedUploads(ClipManifest Manifest, byte[] Bytes)
{
    public static StagedUploads Random(string clipId, int sizeBytes, int chunkBytes, string fleet = "acme", string device = "cam-1", int seed = 1)
    {
        var bytes = new byte[sizeBytes];
        new Random(seed).NextBytes(bytes);
        return For(clipId, bytes, chunkBytes, fleet, device);
    }

    public static StagedUploads For(string clipId, byte[] bytes, int chunkBytes, string fleet = "acme", string device = "cam-1")
    {
        var start = CatalogSamples.T0;
        var manifest = new ClipManifest(
            clipId, fleet, device, $"{clipId}.mcap", bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), chunkBytes,
            ClipManifest.ChunkCountFor(bytes.Length, chunkBytes), 5, ["brake-disagree"], start, start.AddSeconds(20), 120, CatalogSamples.Sha("model-a"));
        return new StagedUploads(manifest, bytes);
    }

    public StagedClip Clip => new(Manifest.Fleet, Manifest.Device, Manifest.ClipId);

    public int Count => Manifest.ChunkCount;

    public ReadOnlyMemory<byte> Data(int index) =>
        Bytes.AsMemory(index * Manifest.ChunkBytes, Math.Min(Manifest.ChunkBytes, Bytes.Length - (index * Manifest.ChunkBytes)));

    public StagedChunk Chunk(int index) => new(Clip, Manifest.ChunkBytes, index, Count, Data(index));

    public CatalogClip Catalogued(DateTimeOffset receivedAt) =>
        CatalogClip.From(Manifest, $"{Manifest.Fleet}/{Manifest.Device}/2026-12-05/{Manifest.ClipId}.mcap", receivedAt);
}

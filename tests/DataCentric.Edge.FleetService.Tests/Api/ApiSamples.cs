using System.Security.Cryptography;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.ObjectStore;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Api;

/// <summary>Clips with real bytes: stored in the object store and catalogued with their key, size and SHA-256.</summary>
internal static class ApiSamples
{
    public static async Task<(CatalogClip Clip, byte[] Bytes)> AddClipWithBytesAsync(
        IFleetCatalog catalog, IClipObjectStore store, string clipId, int sizeBytes, string prefix = "", DateTimeOffset? start = null)
    {
        var bytes = RandomNumberGenerator.GetBytes(sizeBytes);
        var clip = Clip(clipId, start);
        var key = ClipObjectKeys.For(prefix, clip.Fleet, clip.Device, clip.StartWall, clipId);
        using var content = new MemoryStream(bytes);
        var digest = await store.PutAsync(key, content, new ClipObjectMetadata(clipId, clip.TriggerIds, clip.ModelSha256), TestContext.Current.CancellationToken);
        clip = clip with { ObjectKey = key, SizeBytes = bytes.Length, Sha256 = digest.Sha256 };
        await catalog.AddClipAsync(clip, TestContext.Current.CancellationToken);
        return (clip, bytes);
    }
}

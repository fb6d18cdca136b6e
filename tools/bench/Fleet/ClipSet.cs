using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Bench.Fleet;

/// <summary>One clip of a run: random bytes, its manifest as the device publishes it, and who sends it.</summary>
internal sealed record BenchClip(int Device, string ClipId, byte[] Content, string Sha256, byte[] ManifestJson)
{
    public int ChunkCount(int chunkBytes) => ClipManifest.ChunkCountFor(Content.Length, chunkBytes);
}

/// <summary>
/// A fresh set of clips for one run, generated before the clock starts: <paramref name="totalBytes"/>
/// split into clips of <paramref name="clipBytes"/> (the last one smaller when it does not divide),
/// dealt round-robin to the devices. Fresh random content each run, so nothing downstream can
/// recognise a clip it already holds.
/// </summary>
internal static class ClipSet
{
    public const string Fleet = "bench";

    public static string DeviceId(int device) => string.Create(CultureInfo.InvariantCulture, $"dev-{device + 1:D4}");

    public static List<BenchClip> Create(string runTag, long totalBytes, int clipBytes, int chunkBytes, int devices)
    {
        var clips = new List<BenchClip>();
        var random = new Random();
        var perDevice = new int[devices];
        var start = DateTimeOffset.UtcNow;
        for (long offset = 0; offset < totalBytes; offset += clipBytes)
        {
            var device = clips.Count % devices;
            var clipId = string.Create(CultureInfo.InvariantCulture, $"{runTag}-{DeviceId(device)}-{perDevice[device]++:D3}");
            var content = new byte[(int)Math.Min(clipBytes, totalBytes - offset)];
            random.NextBytes(content);
            clips.Add(Make(device, clipId, content, chunkBytes, start));
        }

        return clips;
    }

    public static BenchClip Make(int device, string clipId, byte[] content, int chunkBytes, DateTimeOffset startWall)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var manifest = new ClipManifest(
            clipId, Fleet, DeviceId(device), clipId + ".mcap", content.Length, sha, chunkBytes,
            ClipManifest.ChunkCountFor(content.Length, chunkBytes), Priority: 0, TriggerIds: ["bench"],
            startWall, startWall.AddSeconds(10), FrameCount: 0, ModelSha256: null);
        return new BenchClip(device, clipId, content, sha, JsonSerializer.SerializeToUtf8Bytes(manifest, UplinkJson.TypeInfo<ClipManifest>()));
    }
}

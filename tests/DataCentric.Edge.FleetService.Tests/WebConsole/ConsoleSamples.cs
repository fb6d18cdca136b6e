using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.ObjectStore;
using DataCentric.Edge.FleetService.Receiving;

namespace DataCentric.Edge.FleetService.Tests.WebConsole;

/// <summary>Clips as the agent records them (MCAP, frames as JPEG, signals, the shadow model's boxes, a trigger event).</summary>
internal static class ConsoleSamples
{
    public const string ModelSha = "5ad0c0ffee5ad0c0ffee5ad0c0ffee5ad0c0ffee5ad0c0ffee5ad0c0ffee5ad0";
    public const string Trigger = "missed-obstacle";
    public const string Expression = "shadow.obstacle > 0.5 && !primary.brake";

    /// <summary>
    /// <paramref name="frames"/> frames 100 ms apart; the obstacle signal is 0.1·i; the brake is on from the
    /// middle; frame i has i % 3 boxes (so frame 0 has none); the trigger fires at the middle frame.
    /// </summary>
    public static ClipContent Clip(string clipId, int frames, Func<int, byte[]> jpeg, int width = 64, int height = 48)
    {
        var start = TimeSpan.FromSeconds(100);
        var wall = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        var list = new List<Frame>();
        var signals = new List<SignalUpdate>();
        for (var i = 0; i < frames; i++)
        {
            var t = start + TimeSpan.FromMilliseconds(i * 100);
            list.Add(new Frame(i, t, wall + (t - start), width, height, "jpeg", jpeg(i)));
            signals.Add(new SignalUpdate(new SignalId(0), "shadow.obstacle", new SignalSample(SignalValue.FromNumber(0.1 * i), t)));
            signals.Add(new SignalUpdate(new SignalId(1), "primary.brake", new SignalSample(SignalValue.FromBool(i >= frames / 2), t)));
            signals.Add(new SignalUpdate(new SignalId(2), "shadow.boxes", new SignalSample(SignalValue.FromDetections(Boxes(i)), t)));
        }

        var middle = start + TimeSpan.FromMilliseconds(frames / 2 * 100);
        var trigger = new TriggerEvent(
            $"{clipId}-event", [new TriggerHit(Trigger, Expression, 5, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1))], middle, wall + (middle - start), 4, false);
        return new ClipContent(
            clipId, start, start + TimeSpan.FromMilliseconds((frames - 1) * 100), wall, list, signals, [trigger],
            new Dictionary<string, string> { ["model.sha256"] = ModelSha, ["device"] = "dev-a" });
    }

    public static Detection[] Boxes(int frame) =>
        [.. Enumerable.Range(0, frame % 3).Select(k => new Detection(k, 0.5f + (0.1f * k), 0.1f + (0.01f * frame), 0.2f, 0.3f, 0.25f))];

    public static byte[] Mcap(ClipContent clip)
    {
        using var bytes = new MemoryStream();
        new McapClipWriter().Write(clip, bytes);
        return bytes.ToArray();
    }

    /// <summary>Stores the clip's MCAP in the object store and catalogues it (with its labels), as the receiver does.</summary>
    public static async Task<CatalogClip> AddAsync(IFleetCatalog catalog, IClipObjectStore store, ClipContent clip, string device = "dev-a", byte[]? fileBytes = null)
    {
        var bytes = fileBytes ?? Mcap(clip);
        var key = ClipObjectKeys.For(string.Empty, "fleet1", device, clip.WallClockStart, clip.ClipId);
        using (var content = new MemoryStream(bytes))
        {
            await store.PutAsync(key, content, new ClipObjectMetadata(clip.ClipId, [Trigger], ModelSha), TestContext.Current.CancellationToken);
        }

        var catalogued = Catalogued(clip, key, bytes, device);
        await catalog.AddClipAsync(catalogued, TestContext.Current.CancellationToken);
        return catalogued;
    }

    public static CatalogClip Catalogued(ClipContent clip, string key, byte[] bytes, string device = "dev-a") => new(
        clip.ClipId, "fleet1", device, $"{clip.ClipId}.mcap", bytes.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), key,
        5, [Trigger], ModelSha, clip.Frames.Count, clip.WallClockStart, clip.WallClockStart + (clip.End - clip.Start), clip.WallClockStart.AddMinutes(1))
    {
        Labels = ClipLabelReader.From(clip),
    };
}

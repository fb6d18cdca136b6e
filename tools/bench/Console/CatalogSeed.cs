using System.Globalization;
using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.ObjectStore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Bench.Console;

/// <summary>
/// Fills the catalog through dce-fleet's own catalog and store code: every device reports a status, and
/// the clips are the demo's real MCAPs, each device's copy stored once under that device's key, catalogued
/// many times under distinct ids and start times over the last week (so the rows a query reads are real
/// rows, and every clip a browser opens decodes real frames).
/// </summary>
internal static class CatalogSeed
{
    public const string Fleet = "bench";

    public sealed record Seeded(IReadOnlyList<CatalogClip> Clips, IReadOnlyList<string> Devices, TimeSpan Took);

    public static async Task<Seeded> RunAsync(FleetUnderBench fleet, BenchOptions options, CancellationToken cancellationToken)
    {
        var sources = ReadSources(options.DemoClips);
        var modelSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(options.Repository, "firmware-config", "models", "obstacle-detector.onnx"))));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(fleet.Settings).Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddFleetCatalog(configuration)
            .AddClipObjectStore(configuration);
        await using var provider = services.BuildServiceProvider();
        var ingest = provider.GetRequiredService<IFleetIngest>();
        var store = provider.GetRequiredService<IClipObjectStore>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;

        var devices = Enumerable.Range(0, options.Devices).Select(d => string.Create(CultureInfo.InvariantCulture, $"dev-{d:000}")).ToList();
        var objects = new Dictionary<string, (string Key, Source Source)>(StringComparer.Ordinal);
        foreach (var (device, d) in devices.Select((device, d) => (device, d)))
        {
            var source = sources[d % sources.Count];
            var status = new DeviceStatus(Fleet, device, d % 10 == 9 ? "offline" : "online", null) { TriggerSetVersion = 3, At = now };
            await ingest.RecordStatusAsync(status, now, cancellationToken);
            var key = ClipObjectKeys.For("clips/", Fleet, device, now, $"{device}-{source.ClipId}");
            await using (var content = File.OpenRead(source.Path))
            {
                await store.PutAsync(key, content, new ClipObjectMetadata($"{device}-{source.ClipId}", source.TriggerIds, modelSha, source.Sha256), cancellationToken);
            }

            objects[device] = (key, source);
        }

        // Distinct ids, devices and times; ~one clip a minute over the week before now.
        var spacing = TimeSpan.FromDays(7) / options.Clips;
        var clips = Enumerable.Range(0, options.Clips).Select(i =>
        {
            var device = devices[i % devices.Count];
            var (key, source) = objects[device];
            var start = now - (spacing * (i + 1));
            return new CatalogClip(
                string.Create(CultureInfo.InvariantCulture, $"bench-{i:00000}"), Fleet, device, source.FileName, source.SizeBytes, source.Sha256, key,
                1 + (i % 3), source.TriggerIds, modelSha, source.Frames, start, start + source.Duration, start + source.Duration + TimeSpan.FromSeconds(5));
        }).ToList();
        await Parallel.ForEachAsync(clips, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (clip, ct) =>
        {
            var write = await ingest.AddClipAsync(clip, ct);
            if (write != CatalogWrite.Added)
            {
                throw new InvalidOperationException($"clip {clip.ClipId} was not added ({write}): the catalog is not empty");
            }
        });

        return new Seeded(clips, devices, clock.Elapsed);
    }

    /// <summary>What autovacuum does within a minute of a bulk load: fresh planner statistics for the clips.</summary>
    public static async Task AnalyzeAsync(FleetUnderBench fleet, CancellationToken cancellationToken)
    {
        await using var data = Npgsql.NpgsqlDataSource.Create(fleet.Settings["Catalog:ConnectionString"]!);
        await using var analyze = data.CreateCommand("ANALYZE clips");
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record Source(string Path, string FileName, string ClipId, long SizeBytes, string Sha256, IReadOnlyList<string> TriggerIds, int Frames, TimeSpan Duration);

    /// <summary>The demo's received clips (its receiver's index) with their frame counts read from the MCAP.</summary>
    private static List<Source> ReadSources(string root)
    {
        var sources = ReceivedClipIndex.ReadAll(root)
            .Select(r =>
            {
                var path = Path.Combine(root, r.RelativePath);
                return new Source(path, Path.GetFileName(path), r.ClipId, r.SizeBytes, r.Sha256, r.TriggerIds, CountFrames(path), r.EndWall - r.StartWall);
            })
            .Where(s => s.Frames > 0)
            .ToList();
        return sources.Count > 0 ? sources : throw new InvalidOperationException($"no clip with frames in {root} (its {ReceivedClipIndex.FileName})");
    }

    private static int CountFrames(string path)
    {
        using var file = File.OpenRead(path);
        var reader = McapReader.Open(file);
        var cameras = reader.Summary.Channels.Values
            .Where(c => reader.Summary.Schemas.TryGetValue(c.SchemaId, out var schema) && schema.Name == "foxglove.CompressedImage")
            .Select(c => c.Id)
            .ToHashSet();
        return reader.ReadMessages(c => cameras.Contains(c.Id)).Count();
    }
}

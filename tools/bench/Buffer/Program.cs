using System.Diagnostics;
using System.Globalization;
using DataCentric.Edge.Bench.Buffer;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Storage;

// Usage: dotnet run -c Release --project tools/bench/Buffer -- [directory on the disk to measure]
// Every figure is measured in this run, next to its baseline; the ratios are what to compare.
var root = Path.Combine(args.Length > 0 ? args[0] : Path.GetTempPath(), $"dce-bench-buffer-{Guid.NewGuid():N}");
Directory.CreateDirectory(root);
try
{
    CatalogEvents(root);
    ClipWrites(root);
}
finally
{
    Directory.Delete(root, recursive: true);
}

static void CatalogEvents(string root)
{
    const int Events = 20_000;
    Console.WriteLine($"Catalog events ({Events} per run; durable against kill -9 on return, checkpoint + fsync every 500 writes):");
    var one = Measure(root, "one", catalog =>
    {
        for (var i = 0; i < Events; i++)
        {
            catalog.AddEvent(Event(i));
        }
    });
    var batched = Measure(root, "batch", catalog =>
    {
        for (var i = 0; i < Events; i += 100)
        {
            catalog.AddEvents([.. Enumerable.Range(i, 100).Select(Event)]);
        }
    });
    var raw = RawLiteDb(root, Events);
    Console.WriteLine(Invariant($"  baseline: bare LiteDB Insert, one per commit, same indexes: {Events / raw.TotalSeconds,10:F0} events/s"));
    Console.WriteLine(Invariant($"  AddEvent, one per call (one commit each):                   {Events / one.TotalSeconds,10:F0} events/s  ratio {raw / one:F2}"));
    Console.WriteLine(Invariant($"  AddEvents, batches of 100 (one commit each):                {Events / batched.TotalSeconds,10:F0} events/s  ratio {raw / batched:F2}"));

    static TimeSpan Measure(string root, string name, Action<LiteDbClipCatalog> body)
    {
        var directory = Path.Combine(root, "catalog-" + name);
        Directory.CreateDirectory(directory);
        using var catalog = new LiteDbClipCatalog(Path.Combine(directory, "catalog.db"));
        var watch = Stopwatch.StartNew();
        body(catalog);
        return watch.Elapsed;
    }

    // The same documents and indexes straight into LiteDB with its defaults: what LiteDB itself costs per commit.
    static TimeSpan RawLiteDb(string root, int events)
    {
        var directory = Path.Combine(root, "catalog-raw");
        Directory.CreateDirectory(directory);
        using var database = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = Path.Combine(directory, "raw.db"), Connection = LiteDB.ConnectionType.Direct });
        var collection = database.GetCollection("events");
        collection.EnsureIndex("byTime", "$.WallClock");
        collection.EnsureIndex("byTrigger", "$.TriggerIds[*]");
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < events; i++)
        {
            var e = Event(i);
            collection.Insert(new LiteDB.BsonDocument
            {
                ["_id"] = e.EventId,
                ["TriggerIds"] = new LiteDB.BsonArray(e.TriggerIds.Select(t => new LiteDB.BsonValue(t))),
                ["WallClock"] = e.WallClock.UtcDateTime,
                ["Priority"] = e.Priority,
                ["DryRun"] = e.DryRun,
                ["TriggerSetVersion"] = e.TriggerSetVersion,
                ["ModelSha256"] = e.ModelSha256,
                ["ClipId"] = LiteDB.BsonValue.Null,
            });
        }

        return watch.Elapsed;
    }

    static StoredEvent Event(int i) => new(
        Guid.NewGuid().ToString("N"), ["missed-obstacle"], DateTimeOffset.UnixEpoch.AddSeconds(i), 5, i % 4 == 0, 1, new string('a', 64));
}

static void ClipWrites(string root)
{
    const int Rounds = 12;
    var clip = RealisticClip();
    using var encoded = new MemoryStream();
    new McapClipWriter().Write(clip, encoded);
    var bytes = encoded.ToArray();
    Console.WriteLine(Invariant($"Clip writes ({clip.Frames.Count} frames, {bytes.Length / 1e6:F1} MB of MCAP, {Rounds} rounds, alternating, median):"));

    var directory = Path.Combine(root, "clips");
    using var catalog = new LiteDbClipCatalog(Path.Combine(root, "catalog.db"));
    var store = new ClipFileStore(directory, new McapClipWriter(), catalog, TimeProvider.System);
    var fileOnly = new ClipFileStore(Path.Combine(root, "clips-file-only"), new PreEncodedWriter(bytes), new FileOnlyCatalog(), TimeProvider.System);
    var baseline = new List<double>();
    var ours = new List<double>();
    var oursFileOnly = new List<double>();
    for (var round = 0; round < Rounds; round++)
    {
        var path = Path.Combine(directory, $"baseline-{round}.mcap");
        baseline.Add(Time(() =>
        {
            File.WriteAllBytes(path, bytes);
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            file.Flush(flushToDisk: true);
        }));
        var id = clip with { ClipId = Guid.NewGuid().ToString("N") };
        ours.Add(Time(() => store.Save(id)));
        var id2 = clip with { ClipId = Guid.NewGuid().ToString("N") };
        oursFileOnly.Add(Time(() => fileOnly.Save(id2)));
    }

    using var scratch = new MemoryStream(bytes.Length * 2);
    var encodeOnly = Median([.. Enumerable.Range(0, Rounds).Select(_ => Time(() =>
    {
        scratch.SetLength(0);
        new McapClipWriter().Write(clip, scratch);
    }))]);
    var hashOnly = Median([.. Enumerable.Range(0, Rounds).Select(_ => Time(() => System.Security.Cryptography.SHA256.HashData(bytes)))]);
    Console.WriteLine(Invariant($"  where the time goes: MCAP encode to memory {bytes.Length / encodeOnly / 1e6:F0} MB/s, SHA-256 {bytes.Length / hashOnly / 1e6:F0} MB/s"));
    var b = Median(baseline);
    var o = Median(ours);
    var f = Median(oursFileOnly);
    Console.WriteLine(Invariant($"  File.WriteAllBytes + fsync (baseline, bytes already encoded): {bytes.Length / b / 1e6,8:F1} MB/s"));
    Console.WriteLine(Invariant($"  ClipFileStore.Save, same bytes (hash, fsync, rename, dir fsync; no catalog): {bytes.Length / f / 1e6,8:F1} MB/s  ratio {b / f:F2}"));
    Console.WriteLine(Invariant($"  ClipFileStore.Save, whole clip (MCAP encode + the above + catalog, checkpoint, fsync): {bytes.Length / o / 1e6,8:F1} MB/s  ratio {b / o:F2}"));

    static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}

// 10 s at 10 fps of 40 kB frames (random bytes: encoded JPEG does not compress further) and 20 Hz signals.
static ClipContent RealisticClip()
{
    var random = new Random(7);
    var frames = Enumerable.Range(0, 100).Select(i =>
    {
        var data = new byte[40_000];
        random.NextBytes(data);
        var at = TimeSpan.FromMilliseconds(i * 100);
        return new Frame(i, at, DateTimeOffset.UnixEpoch + at, 1280, 720, "jpeg", data);
    }).ToList();
    var signals = Enumerable.Range(0, 200).Select(i =>
        new SignalUpdate(new SignalId(0), "shadow.obstacle", new SignalSample(SignalValue.FromNumber(random.NextDouble()), TimeSpan.FromMilliseconds(i * 50)))).ToList();
    var end = TimeSpan.FromSeconds(9.9);
    var hit = new TriggerHit("missed-obstacle", "shadow.obstacle > 0.5 and not primary.brake", 5, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    return new ClipContent(
        "bench", TimeSpan.Zero, end, DateTimeOffset.UnixEpoch, frames, signals,
        [new TriggerEvent("e1", [hit], end / 2, DateTimeOffset.UnixEpoch + (end / 2), 1, false)],
        new Dictionary<string, string> { [ClipFileStore.ModelShaKey] = new string('a', 64) });
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

using System.Globalization;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;

// Opens the buffer the way the agent does (lock, catalog, reconciliation), then stores clips, events
// and evictions as fast as it can, printing "event <eventId>" after each event and "stored <clipId> <sha256>" after each clip is catalogued.
// The kill -9 test kills it at random points and checks every printed clip after the restart.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: DataCentric.Edge.CrashWriter <data directory> <seed>");
    return 2;
}

var dataDirectory = args[0];
var random = new Random(int.Parse(args[1], CultureInfo.InvariantCulture));
var time = TimeProvider.System;
using var dataLock = DataDirectoryLock.Acquire(dataDirectory);
using var catalog = new LiteDbClipCatalog(Path.Combine(dataDirectory, "catalog.db"), maxWritesBetweenCheckpoints: 5);
var store = new ClipFileStore(Path.Combine(dataDirectory, "clips"), new McapClipWriter(), catalog, time);
ClipStoreReconciler.Reconcile(store, catalog, new McapClipReader(), time);
var options = new StorageOptions { ClipQuotaBytes = 1024 * 1024, MinFreeDiskBytes = 0 };
var retention = new ClipRetention(store, catalog, options, time, NullLogger.Instance);
Console.Out.Flush();
Console.WriteLine("ready");

for (var n = 0; ; n++)
{
    var eventId = Guid.NewGuid().ToString("N");
    var triggerId = random.Next(2) == 0 ? "missed-obstacle" : "hard-brake";
    var dryRun = random.Next(4) == 0;
    var now = time.GetUtcNow();
    catalog.AddEvent(new StoredEvent(eventId, [triggerId], now, random.Next(1, 9), dryRun, 1, null));
    Console.WriteLine($"event {eventId}");
    if (dryRun)
    {
        continue;
    }

    var clip = MakeClip(eventId, triggerId, now, random);
    var stored = store.Save(clip);
    Console.WriteLine($"stored {stored.ClipId} {stored.Sha256}");
    if (n % 3 == 0)
    {
        catalog.UpdateUpload(stored.ClipId, UploadState.Acknowledged, 1);
    }

    retention.Enforce();
}

static ClipContent MakeClip(string eventId, string triggerId, DateTimeOffset now, Random random)
{
    var frameCount = random.Next(3, 30);
    var frames = new List<Frame>(frameCount);
    for (var i = 0; i < frameCount; i++)
    {
        var data = new byte[random.Next(512, 16 * 1024)];
        random.NextBytes(data);
        var at = TimeSpan.FromMilliseconds(100 * i);
        frames.Add(new Frame(i, at, now + at, 64, 48, "jpeg", data));
    }

    var end = TimeSpan.FromMilliseconds(100 * (frameCount - 1));
    var hit = new TriggerHit(triggerId, "true", random.Next(1, 9), end / 2, end / 2);
    return new ClipContent(
        Guid.CreateVersion7(now).ToString("N"),
        TimeSpan.Zero,
        end,
        now,
        frames,
        [new SignalUpdate(new SignalId(0), "shadow.obstacle", new SignalSample(SignalValue.FromNumber(random.NextDouble()), end / 2))],
        [new TriggerEvent(eventId, [hit], end / 2, now + (end / 2), 1, false)],
        new Dictionary<string, string> { [ClipFileStore.ModelShaKey] = new string('b', 64) });
}

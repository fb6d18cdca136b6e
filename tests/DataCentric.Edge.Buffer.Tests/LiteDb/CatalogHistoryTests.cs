using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Buffer.Tests.LiteDb;

/// <summary>The catalog's history bound (Storage:HistoryRecords) on a real LiteDB file.</summary>
[Trait("Category", "Integration")]
public sealed class CatalogHistoryTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    [Fact]
    public void ForgetOldHistory_KeepsTheNewestOfEachKind_AndEveryStoredClipWithItsEvents()
    {
        using (var catalog = Open())
        {
            // Five events without a clip, oldest of all; then clips c0..c9, each with its event e0..e9.
            for (var i = 0; i < 5; i++)
            {
                catalog.AddEvent(Event($"x{i}", i, clipId: null));
            }

            for (var i = 0; i < 10; i++)
            {
                catalog.AddEvent(Event($"e{i}", 10 + i, clipId: null));
                catalog.AddClip(Clip($"c{i}", 10 + i) with { EventIds = [$"e{i}"] });
            }

            // c1 (old, pinned), c8 and c9 stay stored; the other seven are evicted in order.
            foreach (var i in new[] { 0, 2, 3, 4, 5, 6, 7 })
            {
                catalog.RecordEviction(new ClipEviction($"c{i}", T0.AddMinutes(30 + i), "quota", 5, UploadState.Acknowledged, 100, ["t"]));
            }

            var forgotten = catalog.ForgetOldHistory(keep: 3, maxPerPass: 100);

            // Of seven gone clips the newest three stay; of fifteen events the newest three, and e1 with its stored clip.
            Assert.Equal(new ForgottenRecords(Clips: 4, Events: 11, Evictions: 4), forgotten);
            Assert.Equal(default, catalog.ForgetOldHistory(keep: 3, maxPerPass: 100));
        }

        using var reopened = Open();
        Assert.Equal(["c9", "c8", "c7", "c6", "c5", "c1"], reopened.RecentClips(100).Select(c => c.ClipId));
        Assert.Equal(["e9", "e8", "e7", "e1"], reopened.RecentEvents(100).Select(e => e.EventId));
        Assert.Equal("c1", reopened.RecentEvents(100).Single(e => e.EventId == "e1").ClipId);
        Assert.Equal(["c7", "c6", "c5"], reopened.Evictions(100).Select(e => e.ClipId));
        Assert.Equal(["c1", "c8", "c9"], reopened.StoredClips().Select(c => c.ClipId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ForgetOldHistory_ABacklog_DrainsAtMostMaxPerPassEachCall()
    {
        using var catalog = Open();
        catalog.AddEvents([.. Enumerable.Range(0, 50).Select(i => Event($"x{i:00}", i, clipId: null))]);

        var passes = Enumerable.Range(0, 4).Select(_ => catalog.ForgetOldHistory(keep: 10, maxPerPass: 15).Events).ToList();

        Assert.Equal([15, 15, 10, 0], passes);
        Assert.Equal([.. Enumerable.Range(40, 10).Reverse().Select(i => $"x{i:00}")], catalog.RecentEvents(100).Select(e => e.EventId));
    }

    [Fact]
    public void ForgetOldHistory_BadArguments_AreRefused_AndNothingIsForgotten()
    {
        using var catalog = Open();
        catalog.AddEvent(Event("x", 0, clipId: null));

        Assert.Throws<ArgumentOutOfRangeException>(() => catalog.ForgetOldHistory(keep: -1, maxPerPass: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => catalog.ForgetOldHistory(keep: 0, maxPerPass: 0));
        Assert.Single(catalog.RecentEvents(10));
    }

    /// <summary>
    /// The soak's load in small: a clip and its event every step, a quota of a few clips, maintenance every ten.
    /// Without the bound the catalog file grew with every clip ever stored (1.6 MB in the soak's first half hour);
    /// with it, the records stop growing at the bound and the file stops growing once LiteDB reuses the freed pages.
    /// </summary>
    [Fact]
    public void ClipBuffer_UnderChurn_KeepsTheCatalogWithinItsHistoryBound()
    {
        var path = _dir.Combine("catalog.db");
        using var catalog = new LiteDbClipCatalog(path);
        var store = new ClipFileStore(_dir.Combine("clips"), new RawFramesClipWriter(), catalog, TimeProvider.System);
        var options = new StorageOptions { ClipQuotaBytes = 5 * 1000, MinFreeDiskBytes = 0, HistoryRecords = 100 };
        var buffer = new ClipBuffer(store, catalog, new ClipRetention(store, catalog, options, TimeProvider.System, NullLogger.Instance), options, NullLogger.Instance);
        long SizeAfter(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                var clip = TestClips.Clip($"clip{i:0000}", 10, 100);
                catalog.AddEvent(new StoredEvent($"event{i:0000}", ["t"], T0.AddSeconds(i), 5, false, 1, null));
                Assert.True(buffer.Store(clip).IsStored);
                if (i % 10 == 9)
                {
                    buffer.Maintain();
                }
            }

            catalog.Checkpoint();
            return new FileInfo(path).Length;
        }

        var afterFirst = SizeAfter(0, 300);
        var afterThreeTimesAsMany = SizeAfter(300, 900);

        Assert.Equal(100, catalog.Evictions(1000).Count);
        Assert.InRange(catalog.RecentClips(1000).Count, 100, 100 + 5 + 10);
        Assert.InRange(catalog.RecentEvents(1000).Count, 100, 100 + 5 + 10);
        Assert.True(afterThreeTimesAsMany <= afterFirst * 1.1, $"catalog file {afterFirst} bytes after 300 clips, {afterThreeTimesAsMany} after 900");
    }

    private LiteDbClipCatalog Open() => new(_dir.Combine("catalog.db"));

    private static StoredEvent Event(string id, int minute, string? clipId) =>
        new(id, ["t"], T0.AddMinutes(minute), 5, false, 1, null, clipId);

    private static StoredClip Clip(string id, int minute) => new(
        id, id + ".mcap", 100, new string('0', 64), 5, ["t"], [], T0.AddMinutes(minute), T0.AddMinutes(minute).AddSeconds(3), 30, null, T0.AddMinutes(minute));

    public void Dispose() => _dir.Dispose();
}

using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Buffer.Tests.LiteDb;

/// <summary>The write-ahead log: bounded by checkpoints, replayed after a crash, refused when it belongs to another data file.</summary>
[Trait("Category", "Integration")]
public sealed class CatalogLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Log_StaysBounded_UnderConstantInserts()
    {
        using var catalog = new LiteDbClipCatalog(_dir.Combine("catalog.db"), maxWritesBetweenCheckpoints: 50);
        long largest = 0;
        for (var i = 0; i < 1000; i++)
        {
            catalog.AddEvent(Event($"e{i}"));
            largest = Math.Max(largest, new FileInfo(catalog.LogPath).Length);
        }

        // 50 commits of a few pages each; without checkpoints 1000 commits grew it past 10 MB.
        Assert.InRange(largest, 1, 4L * 1024 * 1024);
        Assert.Equal(1000, catalog.RecentEvents(2000).Count);
    }

    [Fact]
    public void Checkpoint_EmptiesTheLog()
    {
        using var catalog = new LiteDbClipCatalog(_dir.Combine("catalog.db"), maxWritesBetweenCheckpoints: 10_000);
        catalog.AddEvent(Event("e1"));
        Assert.True(new FileInfo(catalog.LogPath).Length > 0);

        catalog.Checkpoint();

        Assert.Equal(0, new FileInfo(catalog.LogPath).Length);
    }

    [Fact]
    public void CrashImage_WithItsOwnLog_OpensWithEveryCommit()
    {
        var image = CrashImage("e1", "e2");

        using var reopened = new LiteDbClipCatalog(Path.Combine(image, "catalog.db"));

        Assert.Equal(["e1", "e2"], reopened.RecentEvents(10).Select(e => e.EventId).Order());
    }

    [Fact]
    public void StaleLog_BesideAReplacedDataFile_IsRefusedAndNothingChanges()
    {
        var image = CrashImage("e1", "e2");
        var otherDirectory = _dir.Combine("other");
        Directory.CreateDirectory(otherDirectory);
        using (var other = new LiteDbClipCatalog(Path.Combine(otherDirectory, "catalog.db")))
        {
            other.AddEvent(Event("from-the-other-db"));
        }

        var dataPath = Path.Combine(image, "catalog.db");
        File.Copy(Path.Combine(otherDirectory, "catalog.db"), dataPath, overwrite: true);
        var dataBefore = File.ReadAllBytes(dataPath);
        var logBefore = File.ReadAllBytes(Path.Combine(image, "catalog-log.db"));

        var error = Assert.Throws<StaleCatalogLogException>(() => new LiteDbClipCatalog(dataPath));

        Assert.Contains("catalog-log.db", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not belong to", error.Message, StringComparison.Ordinal);
        Assert.Equal(dataBefore, File.ReadAllBytes(dataPath));
        Assert.Equal(logBefore, File.ReadAllBytes(Path.Combine(image, "catalog-log.db")));
    }

    [Fact]
    public void Log_WithoutAnOwnerRecord_IsRefused()
    {
        var image = CrashImage("e1");
        File.Delete(Path.Combine(image, "catalog.db.owner"));

        var error = Assert.Throws<StaleCatalogLogException>(() => new LiteDbClipCatalog(Path.Combine(image, "catalog.db")));

        Assert.Contains("no owner record", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_WithoutItsDataFile_IsRefused()
    {
        var image = CrashImage("e1");
        File.Delete(Path.Combine(image, "catalog.db"));

        var error = Assert.Throws<StaleCatalogLogException>(() => new LiteDbClipCatalog(Path.Combine(image, "catalog.db")));

        Assert.Contains("has no data file", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Copies the catalog's files while it is open with commits only in its log: what kill -9 leaves.</summary>
    private string CrashImage(params string[] eventIds)
    {
        var live = _dir.Combine("live-" + Guid.NewGuid().ToString("N"));
        var image = _dir.Combine("image-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(live);
        Directory.CreateDirectory(image);
        using var catalog = new LiteDbClipCatalog(Path.Combine(live, "catalog.db"), maxWritesBetweenCheckpoints: 10_000);
        foreach (var id in eventIds)
        {
            catalog.AddEvent(Event(id));
        }

        foreach (var name in new[] { "catalog.db", "catalog-log.db", "catalog.db.owner" })
        {
            File.Copy(Path.Combine(live, name), Path.Combine(image, name));
        }

        Assert.True(new FileInfo(Path.Combine(image, "catalog-log.db")).Length > 0, "the image must hold uncheckpointed commits");
        return image;
    }

    private static StoredEvent Event(string id) => new(id, ["t"], DateTimeOffset.UnixEpoch.AddDays(1), 1, false, 1, null);

    public void Dispose() => _dir.Dispose();
}

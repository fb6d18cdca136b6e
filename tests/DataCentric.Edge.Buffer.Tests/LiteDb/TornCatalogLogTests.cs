using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Buffer.Tests.LiteDb;

/// <summary>
/// A power loss between checkpoints can leave LiteDB's log torn (its unsynced pages reach the disk in
/// any order). The data file is the last checkpoint, synced, with everything reported stored; the
/// catalog must open on it, set the torn log aside, and say so, rather than fail at every start.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TornCatalogLogTests : IDisposable
{
    private const int PageBytes = 8192;
    private const int PageTypeOffset = 4;
    private const byte IndexPageType = 3;
    private const byte DataPageType = 4;
    private readonly TempDirectory _dir = new();

    [Fact]
    public void TornLog_AfterACleanCheckpoint_IsSetAside_AndTheCheckpointedCatalogOpens()
    {
        var data = TornImage(out var tornLog);

        using var catalog = new LiteDbClipCatalog(data);

        Assert.NotNull(catalog.UnreadableLogSetAside);
        Assert.Equal(tornLog, File.ReadAllBytes(catalog.UnreadableLogSetAside!));
        Assert.Contains("checkpointed", catalog.RecentEvents(10).Select(e => e.EventId));
        Assert.DoesNotContain("after-the-checkpoint", catalog.RecentEvents(10).Select(e => e.EventId));

        // The catalog works on: a write after the open survives a reopen.
        catalog.AddEvent(Event("new"));
        catalog.Dispose();
        using var reopened = new LiteDbClipCatalog(data);
        Assert.Null(reopened.UnreadableLogSetAside);
        Assert.Contains("new", reopened.RecentEvents(10).Select(e => e.EventId));
    }

    [Fact]
    public void TornLog_WhileACheckpointWasUnderWay_IsRefused_AndTheLogIsKept()
    {
        var data = TornImage(out var tornLog);
        var owner = data + ".owner";
        var record = File.ReadAllBytes(owner);
        "busy -\n"u8.CopyTo(record);
        File.WriteAllBytes(owner, record);

        // The log may hold pages the data file needs: refusing is the only safe answer.
        Assert.ThrowsAny<LiteDB.LiteException>(() => new LiteDbClipCatalog(data));
        Assert.Equal(tornLog, File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(data)!, "catalog-log.db")));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(data)!, "*.unreadable-*"));
    }

    /// <summary>A catalog image: one event checkpointed, one in the log only, the log damaged.</summary>
    private string TornImage(out byte[] tornLog)
    {
        var live = _dir.Combine("live-" + Guid.NewGuid().ToString("N"));
        var image = _dir.Combine("image-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(live);
        Directory.CreateDirectory(image);
        using (var catalog = new LiteDbClipCatalog(Path.Combine(live, "catalog.db"), maxWritesBetweenCheckpoints: 10_000))
        {
            catalog.AddEvent(Event("checkpointed"));
            catalog.Checkpoint();
            catalog.AddEvent(Event("after-the-checkpoint"));
            foreach (var name in new[] { "catalog.db", "catalog-log.db", "catalog.db.owner" })
            {
                File.Copy(Path.Combine(live, name), Path.Combine(image, name));
            }
        }

        // What a torn log replays: a page of another kind where the index expects the event's data
        // page (an older page at that position in a log reused since a checkpoint, whose overwrite was
        // lost). LiteDB's page header holds the page type at byte 4.
        var log = Path.Combine(image, "catalog-log.db");
        var bytes = File.ReadAllBytes(log);
        var dataPage = Enumerable.Range(0, bytes.Length / PageBytes).First(p => bytes[(p * PageBytes) + PageTypeOffset] == DataPageType);
        bytes[(dataPage * PageBytes) + PageTypeOffset] = IndexPageType;
        File.WriteAllBytes(log, bytes);
        tornLog = bytes;
        File.SetLastWriteTimeUtc(log, File.GetLastWriteTimeUtc(Path.Combine(live, "catalog-log.db")));
        return Path.Combine(image, "catalog.db");
    }

    private static StoredEvent Event(string id) => new(id, ["t"], DateTimeOffset.UnixEpoch.AddDays(1), 1, false, 1, null);

    public void Dispose() => _dir.Dispose();
}

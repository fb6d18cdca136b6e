using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Buffer.Tests.LiteDb;

[Trait("Category", "Integration")]
public sealed class LiteDbClipCatalogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void PendingUploads_AreOrderedByPriorityThenAge()
    {
        using var catalog = Open();
        catalog.AddClip(Clip("old-low", priority: 1, ageSeconds: 30));
        catalog.AddClip(Clip("new-high", priority: 9, ageSeconds: 1));
        catalog.AddClip(Clip("old-high", priority: 9, ageSeconds: 20));
        catalog.AddClip(Clip("done", priority: 9, ageSeconds: 50) with { UploadState = UploadState.Acknowledged });

        Assert.Equal(["old-high", "new-high", "old-low"], catalog.PendingUploads(10).Select(c => c.ClipId));
    }

    [Fact]
    public void Clips_AndEvents_SurviveReopening()
    {
        using (var catalog = Open())
        {
            catalog.AddEvent(new StoredEvent("e1", ["missed-obstacle"], DateTimeOffset.UnixEpoch.AddDays(1), 5, false, 1, "abc"));
            catalog.AddClip(Clip("c1", priority: 5, ageSeconds: 1) with { EventIds = ["e1"] });
            catalog.UpdateUpload("c1", UploadState.Pending, 3);
        }

        using var reopened = Open();
        var clip = reopened.FindClip("c1");
        Assert.NotNull(clip);
        Assert.Equal(3, clip.ChunksSent);
        Assert.Equal(["missed-obstacle"], clip.TriggerIds);
        var storedEvent = Assert.Single(reopened.RecentEvents(10));
        Assert.Equal("c1", storedEvent.ClipId);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), storedEvent.WallClock);
    }

    [Fact]
    public void UpdateUpload_UnknownClip_SaysWhich()
    {
        using var catalog = Open();

        var error = Assert.Throws<KeyNotFoundException>(() => catalog.UpdateUpload("nope", UploadState.Sent, 1));
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    private LiteDbClipCatalog Open() => new(_dir.Combine("catalog.db"));

    private static StoredClip Clip(string id, int priority, int ageSeconds) => new(
        id, id + ".mcap", 100, new string('0', 64), priority, ["missed-obstacle"], [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(3), 30, null,
        DateTimeOffset.UtcNow.AddSeconds(-ageSeconds));

    public void Dispose() => _dir.Dispose();
}

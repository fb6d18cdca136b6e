using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.Buffer.Tests;

[Trait("Category", "Integration")]
public sealed class ClipRetentionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
    private readonly LiteDbClipCatalog _catalog;
    private readonly ClipFileStore _store;

    public ClipRetentionTests()
    {
        _catalog = new LiteDbClipCatalog(_dir.Combine("catalog.db"));
        _store = new ClipFileStore(_dir.Combine("clips"), new RawFramesClipWriter(), _catalog, _time);
    }

    [Fact]
    public void OverQuota_EvictsUploadedLowPriorityOldFirst_PendingLast_PinnedNever()
    {
        var pinned = Save("pinned", priority: 1, UploadState.Acknowledged);
        _catalog.SetPinned(pinned, true);
        var pendingLow = Save("pending-low", priority: 1, UploadState.Pending);
        var sentHigh = Save("sent-high", priority: 9, UploadState.Acknowledged);
        var oldLow = Save("old-low", priority: 2, UploadState.Acknowledged);
        var newLow = Save("new-low", priority: 2, UploadState.Acknowledged);

        // Five 1000-byte clips, quota 2500: three must go; the pinned one may not.
        var result = Retention(quota: 2500).Enforce();

        Assert.Equal([oldLow, newLow, sentHigh], result.Evictions.Select(e => e.ClipId));
        Assert.Equal(0, result.ShortfallBytes);
        Assert.All(result.Evictions, e => Assert.False(File.Exists(Path.Combine(_store.ClipDirectory, e.ClipId + ".raw"))));
        Assert.Equal([newLow, oldLow, sentHigh], _catalog.Evictions(10).Select(e => e.ClipId).Order(StringComparer.Ordinal));
        Assert.All([oldLow, newLow, sentHigh], id => Assert.Equal(ClipFileState.Evicted, _catalog.FindClip(id)!.FileState));
        Assert.Equal(ClipFileState.Stored, _catalog.FindClip(pinned)!.FileState);
        Assert.Equal(ClipFileState.Stored, _catalog.FindClip(pendingLow)!.FileState);
        Assert.Contains("quota", _catalog.Evictions(1)[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NotYetUploadedClips_GoWhenNothingElseIsLeft()
    {
        var pending = Save("pending", priority: 9, UploadState.Pending);
        var sent = Save("sent", priority: 9, UploadState.Sent);

        var result = Retention(quota: 1000).Enforce();

        Assert.Equal([pending], result.Evictions.Select(e => e.ClipId));
        Assert.Equal(UploadState.Pending, result.Evictions[0].UploadState);
        Assert.Equal(ClipFileState.Stored, _catalog.FindClip(sent)!.FileState);
    }

    [Fact]
    public void OnlyPinnedClips_ReportsTheShortfall_AndDeletesNothing()
    {
        var pinned = Save("pinned", priority: 1, UploadState.Acknowledged);
        _catalog.SetPinned(pinned, true);

        var result = Retention(quota: 500).Enforce();

        Assert.Empty(result.Evictions);
        Assert.Equal(500, result.ShortfallBytes);
        Assert.True(File.Exists(Path.Combine(_store.ClipDirectory, pinned + ".raw")));
    }

    private ClipRetention Retention(long quota) =>
        new(_store, _catalog, new StorageOptions { ClipQuotaBytes = quota, MinFreeDiskBytes = 0 }, _time, NullLogger.Instance);

    private string Save(string id, int priority, UploadState state)
    {
        _time.Advance(TimeSpan.FromMinutes(1));
        var stored = _store.Save(TestClips.Clip(id, frames: 1, frameBytes: 1000, priority));
        _catalog.UpdateUpload(id, state, 0);
        return stored.ClipId;
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _dir.Dispose();
    }
}

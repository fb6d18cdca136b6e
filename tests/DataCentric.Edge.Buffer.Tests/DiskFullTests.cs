using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Buffer.Tests;

/// <summary>A clip meets a full disk: it is abandoned cleanly, retention frees space, the next clip is stored.</summary>
[Trait("Category", "Integration")]
public sealed class DiskFullTests : IDisposable
{
    private const int ClipBytes = 700 * 1024;
    private const long FloorBytes = 256 * 1024;
    private readonly SizeLimitedVolume _volume = new(capacityBytes: 4L * 1024 * 1024);

    [Fact]
    public void ClipOnAFullDisk_IsAbandonedCleanly_SpaceIsFreedByPolicy_AndTheNextClipIsStored()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(_volume.WhyNotReal ?? "real tmpfs, 4 MiB");
        var dataDirectory = System.IO.Path.Combine(_volume.Path, "data");
        Directory.CreateDirectory(dataDirectory);
        var options = new StorageOptions { ClipQuotaBytes = long.MaxValue, MinFreeDiskBytes = FloorBytes };
        using (var catalog = new LiteDbClipCatalog(System.IO.Path.Combine(dataDirectory, "catalog.db")))
        {
            var store = new ClipFileStore(System.IO.Path.Combine(dataDirectory, "clips"), _volume.Limit(new RawFramesClipWriter()), catalog, TimeProvider.System);
            var retention = new ClipRetention(store, catalog, options, TimeProvider.System, NullLogger.Instance, _volume.FreeBytes);
            var buffer = new ClipBuffer(store, catalog, retention, options, NullLogger.Instance);
            var first = Stored(buffer, "first", priority: 1);
            var second = Stored(buffer, "second", priority: 1);
            var third = Stored(buffer, "third", priority: 1);
            catalog.UpdateUpload(first, UploadState.Acknowledged, 6);
            catalog.UpdateUpload(second, UploadState.Acknowledged, 6);

            // Something else fills the disk until less than a clip is left (but more than the floor).
            FillUntilFree(System.IO.Path.Combine(_volume.Path, "ballast"), 400 * 1024);

            var refused = buffer.Store(TestClips.Clip("refused", frames: 7, frameBytes: ClipBytes / 7));

            Assert.False(refused.IsStored);
            Assert.Contains("space", refused.AbandonedBecause, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(Directory.GetFiles(store.ClipDirectory, "*" + ClipFileStore.TempExtension));
            Assert.False(File.Exists(System.IO.Path.Combine(store.ClipDirectory, "refused.raw")));
            Assert.Null(catalog.FindClip("refused"));

            // The policy freed room: the oldest uploaded clip went, the one not yet uploaded stayed.
            var eviction = Assert.Single(refused.Retention.Evictions);
            Assert.Equal(first, eviction.ClipId);
            Assert.Contains("disk full", eviction.Reason, StringComparison.Ordinal);
            Assert.Equal(ClipFileState.Evicted, catalog.FindClip(first)!.FileState);
            Assert.Equal(ClipFileState.Stored, catalog.FindClip(second)!.FileState);
            Assert.Equal(ClipFileState.Stored, catalog.FindClip(third)!.FileState);

            // And the buffer keeps working.
            Assert.NotNull(Stored(buffer, "after", priority: 1));
        }

        // The catalog on the once-full disk still opens with everything it acknowledged.
        using var reopened = new LiteDbClipCatalog(System.IO.Path.Combine(dataDirectory, "catalog.db"));
        Assert.Equal(["after", "second", "third"], reopened.StoredClips().Select(c => c.ClipId).Order(StringComparer.Ordinal));
        Assert.Single(reopened.Evictions(10));
    }

    private static string Stored(ClipBuffer buffer, string id, int priority)
    {
        var outcome = buffer.Store(TestClips.Clip(id, frames: 7, frameBytes: ClipBytes / 7, priority));
        Assert.True(outcome.IsStored, $"clip {id} should fit: {outcome.AbandonedBecause}");
        Assert.Empty(outcome.Retention.Evictions);
        return outcome.Stored!.ClipId;
    }

    private void FillUntilFree(string path, long leaveFree)
    {
        var toWrite = _volume.FreeBytes() - leaveFree;
        Assert.True(toWrite > 0, "the volume is already fuller than the test expects");
        using var ballast = File.Create(path);
        var block = new byte[64 * 1024];
        while (toWrite > 0)
        {
            var n = (int)Math.Min(block.Length, toWrite);
            ballast.Write(block, 0, n);
            toWrite -= n;
        }
    }

    public void Dispose() => _volume.Dispose();
}

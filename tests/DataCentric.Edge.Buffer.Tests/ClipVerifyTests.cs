using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Buffer.Tests;

[Trait("Category", "Integration")]
public sealed class ClipVerifyTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LiteDbClipCatalog _catalog;
    private readonly ClipFileStore _store;

    public ClipVerifyTests()
    {
        _catalog = new LiteDbClipCatalog(_dir.Combine("catalog.db"));
        _store = new ClipFileStore(_dir.Combine("clips"), new RawFramesClipWriter(), _catalog, TimeProvider.System);
    }

    [Fact]
    public void CorruptClip_SameSize_IsDetectedByHash_AndQuarantined()
    {
        var stored = _store.Save(TestClips.Clip("c1", 4, 1000));
        FlipByte(_store.PathOf(stored), 1500);

        var check = _store.Verify(stored);

        Assert.Equal(ClipFileCheck.Corrupt, check);
        Assert.False(File.Exists(_store.PathOf(stored)));
        Assert.True(File.Exists(Path.Combine(_store.QuarantineDirectory, stored.FileName)));
        Assert.Equal(ClipFileState.Quarantined, _catalog.FindClip("c1")!.FileState);
        Assert.Empty(_catalog.PendingUploads(10));
    }

    [Fact]
    public void IntactClip_PassesVerification()
    {
        var stored = _store.Save(TestClips.Clip("c1", 4, 1000));

        Assert.Equal(ClipFileCheck.Intact, _store.Verify(stored));
        Assert.Equal(ClipFileState.Stored, _catalog.FindClip("c1")!.FileState);
    }

    [Fact]
    public void Maintenance_ScrubsStoredClips_AndQuarantinesTheCorruptOne()
    {
        var options = new StorageOptions { ClipQuotaBytes = long.MaxValue, MinFreeDiskBytes = 0, ScrubClipsPerPass = 10 };
        var buffer = new ClipBuffer(_store, _catalog, new ClipRetention(_store, _catalog, options, TimeProvider.System, NullLogger.Instance), options, NullLogger.Instance);
        var good = buffer.Store(TestClips.Clip("good", 4, 1000)).Stored!;
        var bad = buffer.Store(TestClips.Clip("bad", 4, 1000)).Stored!;
        FlipByte(_store.PathOf(bad), 10);

        var (_, scrubbed, corrupt) = buffer.Maintain();

        Assert.Equal((2, 1), (scrubbed, corrupt));
        Assert.Equal(ClipFileState.Stored, _catalog.FindClip(good.ClipId)!.FileState);
        Assert.Equal(ClipFileState.Quarantined, _catalog.FindClip(bad.ClipId)!.FileState);
    }

    private static void FlipByte(string path, int offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0xFF));
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _dir.Dispose();
    }
}

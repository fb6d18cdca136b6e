using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Buffer.Tests;

[Trait("Category", "Integration")]
public sealed class ClipStoreReconcilerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LiteDbClipCatalog _catalog;
    private readonly ClipFileStore _store;

    public ClipStoreReconcilerTests()
    {
        _catalog = new LiteDbClipCatalog(_dir.Combine("catalog.db"));
        _store = new ClipFileStore(_dir.Combine("clips"), new McapClipWriter(), _catalog, TimeProvider.System);
    }

    [Fact]
    public void TempFiles_AreRemoved()
    {
        File.WriteAllBytes(Path.Combine(_store.ClipDirectory, "half.mcap.tmp"), new byte[100]);

        var report = Reconcile();

        Assert.Equal(["half.mcap.tmp"], report.TempFilesRemoved);
        Assert.Empty(Directory.GetFiles(_store.ClipDirectory));
    }

    [Fact]
    public void OrphanThatReadsWhole_IsAdopted_WithItsHashAndTriggers()
    {
        var clip = TestClips.Clip("orphan1", frames: 5, frameBytes: 300, priority: 4);
        var path = Path.Combine(_store.ClipDirectory, "orphan1.mcap");
        using (var file = File.Create(path))
        {
            new McapClipWriter().Write(clip, file);
        }

        var report = Reconcile();

        Assert.Equal(["orphan1.mcap"], report.OrphansAdopted);
        var adopted = _catalog.FindClip("orphan1");
        Assert.NotNull(adopted);
        Assert.Equal(ClipFileStore.HashFile(path), adopted.Sha256);
        Assert.Equal(4, adopted.Priority);
        Assert.Equal(["missed-obstacle"], adopted.TriggerIds);
        Assert.Equal(UploadState.Pending, adopted.UploadState);
    }

    [Fact]
    public void TruncatedOrphan_IsRejectedByTheReader_AndRemoved()
    {
        var path = Path.Combine(_store.ClipDirectory, "cut.mcap");
        using (var file = new MemoryStream())
        {
            new McapClipWriter().Write(TestClips.Clip("cut", frames: 5, frameBytes: 300), file);
            File.WriteAllBytes(path, file.ToArray()[..(int)(file.Length / 2)]);
        }

        var report = Reconcile();

        Assert.Equal(["cut.mcap"], report.OrphansRemoved);
        Assert.False(File.Exists(path));
        Assert.Null(_catalog.FindClip("cut"));
    }

    [Fact]
    public void CataloguedClipWithoutFile_IsMarkedMissing_AndNotOfferedForUpload()
    {
        var stored = _store.Save(TestClips.Clip("c1", 3, 100));
        File.Delete(_store.PathOf(stored));

        var report = Reconcile();

        Assert.Equal(["c1"], report.MarkedMissing);
        Assert.Equal(ClipFileState.Missing, _catalog.FindClip("c1")!.FileState);
        Assert.Empty(_catalog.PendingUploads(10));
    }

    [Fact]
    public void CataloguedClipWithChangedSize_IsQuarantined()
    {
        var stored = _store.Save(TestClips.Clip("c1", 3, 100));
        File.AppendAllText(_store.PathOf(stored), "junk");

        var report = Reconcile();

        Assert.Equal(["c1"], report.Quarantined);
        Assert.True(File.Exists(Path.Combine(_store.QuarantineDirectory, stored.FileName)));
        Assert.Equal(ClipFileState.Quarantined, _catalog.FindClip("c1")!.FileState);
    }

    [Fact]
    public void FileOfAnEvictedClip_LeftByACrash_IsRemoved()
    {
        var stored = _store.Save(TestClips.Clip("c1", 3, 100));
        _catalog.RecordEviction(new ClipEviction("c1", DateTimeOffset.UtcNow, "quota", 1, UploadState.Acknowledged, stored.SizeBytes, []));

        var report = Reconcile();

        Assert.Equal([stored.FileName], report.OrphansRemoved);
        Assert.False(File.Exists(_store.PathOf(stored)));
    }

    [Fact]
    public void IntactClips_AreLeftAlone()
    {
        var stored = _store.Save(TestClips.Clip("c1", 3, 100));

        var report = Reconcile();

        Assert.Empty(report.TempFilesRemoved.Concat(report.OrphansAdopted).Concat(report.OrphansRemoved).Concat(report.MarkedMissing).Concat(report.Quarantined));
        Assert.Equal(ClipFileState.Stored, _catalog.FindClip("c1")!.FileState);
        Assert.True(File.Exists(_store.PathOf(stored)));
    }

    private ReconcileReport Reconcile() => ClipStoreReconciler.Reconcile(_store, _catalog, new McapClipReader(), TimeProvider.System);

    public void Dispose()
    {
        _catalog.Dispose();
        _dir.Dispose();
    }
}

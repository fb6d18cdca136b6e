using System.Security.Cryptography;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Buffer.Tests;

[Trait("Category", "Integration")]
public sealed class ClipFileStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Save_WritesTheFile_HashesIt_AndCataloguesIt()
    {
        using var catalog = new LiteDbClipCatalog(_dir.Combine("catalog.db"));
        var store = new ClipFileStore(_dir.Combine("clips"), new RawFramesClipWriter(), catalog, TimeProvider.System);
        var clip = TestClips.Clip("clip1", frames: 10, frameBytes: 1000, priority: 7);

        var stored = store.Save(clip);

        var path = store.PathOf(stored);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(10_000, bytes.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        Assert.Equal(7, stored.Priority);
        Assert.Equal(new string('a', 64), stored.ModelSha256);
        var catalogued = catalog.FindClip("clip1");
        Assert.NotNull(catalogued);
        Assert.Equal(stored.Sha256, catalogued.Sha256);
        Assert.Equal(stored.SizeBytes, catalogued.SizeBytes);
        Assert.Equal(["missed-obstacle"], catalogued.TriggerIds);
        Assert.Empty(Directory.GetFiles(store.ClipDirectory, "*.tmp"));
    }

    [Fact]
    public void Save_WhenTheWriterFails_LeavesNoFileAndNoCatalogEntry()
    {
        using var catalog = new LiteDbClipCatalog(_dir.Combine("catalog.db"));
        var store = new ClipFileStore(_dir.Combine("clips"), new FailingWriter(), catalog, TimeProvider.System);

        Assert.Throws<IOException>(() => store.Save(TestClips.Clip("clip1", 3, 100)));

        Assert.Empty(Directory.GetFiles(store.ClipDirectory));
        Assert.Null(catalog.FindClip("clip1"));
    }

    [Fact]
    public void DataDirectoryLock_SecondAgentFailsFast_NamingTheDirectory()
    {
        using var first = DataDirectoryLock.Acquire(_dir.Path);

        var error = Assert.Throws<IOException>(() => DataDirectoryLock.Acquire(_dir.Path));
        Assert.Contains(_dir.Path, error.Message, StringComparison.Ordinal);
    }

    private sealed class FailingWriter : IClipWriter
    {
        public string FileExtension => ".raw";

        public void Write(ClipContent clip, Stream destination)
        {
            destination.Write(new byte[100]);
            throw new IOException("No space left on device");
        }
    }

    public void Dispose() => _dir.Dispose();
}

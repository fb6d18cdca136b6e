using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Buffer.Tests;

[Trait("Category", "Integration")]
public sealed class ClipBufferTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void ClipTheWriterRefuses_IsAbandoned_AndTheNextOneIsStored()
    {
        using var catalog = new LiteDbClipCatalog(_dir.Combine("catalog.db"));
        var writer = new RefusingWriter();
        var store = new ClipFileStore(_dir.Combine("clips"), writer, catalog, TimeProvider.System);
        var options = new StorageOptions { ClipQuotaBytes = long.MaxValue, MinFreeDiskBytes = 0 };
        var buffer = new ClipBuffer(store, catalog, new ClipRetention(store, catalog, options, TimeProvider.System, NullLogger.Instance), options, NullLogger.Instance);

        var refused = buffer.Store(TestClips.Clip("bad", 3, 100));
        var next = buffer.Store(TestClips.Clip("good", 3, 100));

        Assert.False(refused.IsStored);
        Assert.Contains("mixed kinds", refused.AbandonedBecause, StringComparison.Ordinal);
        Assert.Null(catalog.FindClip("bad"));
        Assert.True(next.IsStored);
        Assert.Equal(["good.raw"], Directory.GetFiles(store.ClipDirectory).Select(Path.GetFileName));
    }

    /// <summary>Refuses the clip named "bad" the way the MCAP writer refuses a signal with two kinds.</summary>
    private sealed class RefusingWriter : IClipWriter
    {
        private readonly RawFramesClipWriter _inner = new();

        public string FileExtension => _inner.FileExtension;

        public void Write(ClipContent clip, Stream destination)
        {
            if (clip.ClipId == "bad")
            {
                destination.Write(new byte[10]);
                throw new ArgumentException("Signal 'x' has samples of mixed kinds.", nameof(clip));
            }

            _inner.Write(clip, destination);
        }
    }

    public void Dispose() => _dir.Dispose();
}

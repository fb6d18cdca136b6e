using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Broker;

namespace DataCentric.Edge.Uplink.Tests.Upload;

/// <summary>
/// A saved upload position counts chunks of the size it was saved with. An agent killed at chunk k
/// and started again with another chunk size (a new configuration, or a broker that now takes less)
/// must not resume at k in the new size: those bytes are not where the receiver's chunks end, and the
/// clip would only go again after <c>AckTimeout</c>. The receiver must end with one intact copy now.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ChunkSizeResumeTests
{
    private const int FirstRunChunkBytes = 16 * 1024;
    private const int StalledAt = 5;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_WithALargerChunkSize_ResumesAtTheSavedChunk_InTheSavedSize()
    {
        await using var f = await KillAtChunkAsync("grown");
        Assert.Equal(FirstRunChunkBytes, f.Catalog.FindClip("grown")!.ChunkBytes);

        f.RestartDevice(new UplinkOptions { ChunkBytes = 4 * FirstRunChunkBytes, Port = f.Options.Port });
        await ResendAsync(f, "grown", FirstRunChunkBytes, first: StalledAt);
    }

    [Fact]
    public async Task Restart_WithASmallerChunkSize_StartsTheClipOver_InTheNewSize()
    {
        await using var f = await KillAtChunkAsync("shrunk");

        const int smaller = FirstRunChunkBytes / 2;
        f.RestartDevice(new UplinkOptions { ChunkBytes = smaller, MinChunkBytes = smaller, Port = f.Options.Port });
        // The saved chunks are larger than today's limit allows: nothing of them can be reused.
        await ResendAsync(f, "shrunk", smaller, first: 0);
    }

    [Fact]
    public void Catalog_ForgetsTheChunkSize_WhenThePositionGoesBackToZero()
    {
        using var dir = new TempDirectory();
        using var catalog = new Buffer.LiteDb.LiteDbClipCatalog(dir.Combine("catalog.db"));
        var store = new ClipFileStore(dir.Combine("clips"), new RawFramesClipWriter(), catalog, TimeProvider.System);
        var stored = store.Save(TestClips.Clip("c", frames: 4, frameBytes: 1000));

        catalog.UpdateUpload(stored.ClipId, Core.Storage.UploadState.Pending, 3, 1024);
        Assert.Equal((3, 1024), (catalog.FindClip("c")!.ChunksSent, catalog.FindClip("c")!.ChunkBytes));

        // A file-missing mark keeps the position and its size; a reset to 0 drops both.
        catalog.UpdateUpload(stored.ClipId, Core.Storage.UploadState.FileMissing, 3);
        Assert.Equal(1024, catalog.FindClip("c")!.ChunkBytes);
        catalog.UpdateUpload(stored.ClipId, Core.Storage.UploadState.Pending, 0);
        Assert.Equal((0, 0), (catalog.FindClip("c")!.ChunksSent, catalog.FindClip("c")!.ChunkBytes));
        Assert.Throws<ArgumentOutOfRangeException>(() => catalog.UpdateUpload(stored.ClipId, Core.Storage.UploadState.Pending, 1, -1));
    }

    /// <summary>A clip whose upload stalls at chunk <see cref="StalledAt"/>, its position saved, then the agent killed.</summary>
    private static async Task<UplinkFixture> KillAtChunkAsync(string clipId)
    {
        var broker = await GatedBroker.StartAsync(StalledAt);
        var f = UplinkFixture.StartOn(broker, broker.Port, new UplinkOptions { ChunkBytes = FirstRunChunkBytes, MinChunkBytes = FirstRunChunkBytes / 2, Port = broker.Port });
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        var stored = f.Store.Save(TestClips.Clip(clipId, frames: 12, frameBytes: 16_000));
        Assert.True(ClipManifest.ChunkCountFor(stored.SizeBytes, FirstRunChunkBytes) > StalledAt + 2);
        var log = new ProgressLog(f.Uploader);
        Assert.True(await f.Uploader.EnsureConnectedAsync(Token));

        _ = f.Uploader.UploadAsync(stored, Token);
        await broker.Held.WaitAsync(Waits.Timeout, Token);
        await log.WaitForAsync(clipId, StalledAt);
        return f;
    }

    /// <summary>The restarted agent sends the clip; the wire must carry chunks <paramref name="first"/>.. of <paramref name="chunkBytes"/>, each once.</summary>
    private static async Task<ReceivedClip> ResendAsync(UplinkFixture f, string clipId, int chunkBytes, int first)
    {
        var received = new TaskCompletionSource<ReceivedClip>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.ClipReceived += c => received.TrySetResult(c);
        using var sniffer = await ChunkSniffer.StartAsync(f.Endpoint, f.Topics.ClipChunk(clipId));
        Assert.True(await f.Uploader.EnsureConnectedAsync(Token));

        await f.Uploader.UploadAsync(f.Catalog.FindClip(clipId)!, Token);

        // Without the size kept, the receiver cannot assemble the clip, and this wait times out.
        var clip = await received.Task.WaitAsync(Waits.Timeout, Token);
        var total = ClipManifest.ChunkCountFor(f.Catalog.FindClip(clipId)!.SizeBytes, chunkBytes);
        await sniffer.WaitForAsync(total - first);
        Assert.Equal(Enumerable.Range(first, total - first), sniffer.Indices.Order());
        Assert.All(sniffer.Sizes, size => Assert.Equal(chunkBytes, size));
        Assert.Equal(f.Catalog.FindClip(clipId)!.Sha256, ClipFileStore.HashFile(clip.Path));
        return clip;
    }
}

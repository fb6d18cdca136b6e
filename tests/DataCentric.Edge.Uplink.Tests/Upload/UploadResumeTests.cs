using System.Diagnostics;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Tests.Upload;

/// <summary>
/// Resume at the wire: the broker stalls at chunk k (it acknowledged 0..k-1), the agent stops there
/// (a clean stop, or a kill that runs none of its code), starts again on the same files, and the
/// next run's first chunk on the broker is k; the receiver ends with one intact copy. A small clip
/// (fewer chunks than the 16 in flight) and a larger one.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UploadResumeTests
{
    private const int ChunkBytes = 16 * 1024;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(10, 4)]
    [InlineData(40, 21)]
    public async Task Upload_KilledWhileTheBrokerStalls_ResumesAtTheFirstChunkNotAcknowledged(int frames, int stalledAt)
    {
        var broker = await GatedBroker.StartAsync(stalledAt);
        await using var f = UplinkFixture.StartOn(broker, broker.Port, new UplinkOptions { ChunkBytes = ChunkBytes });
        var (stored, total) = await StoreAndConnectAsync(f, "killed", frames, stalledAt);
        var log = new ProgressLog(f.Uploader);

        var upload = f.Uploader.UploadAsync(stored, Token);
        await broker.Held.WaitAsync(Waits.Timeout, Token);

        // While the link stalls the position reaches the catalog, so a kill now loses none of it.
        await log.WaitForAsync("killed", stalledAt);
        f.RestartDevice();

        // The killed run's upload is left hanging on its old connection, as a killed process would
        // be; the fixture ends it. Nothing of it reaches the reopened catalog.
        Assert.False(upload.IsCompleted);

        var firstRun = log.Writes("killed");
        await ResumeAndCheckAsync(f, stored, total, stalledAt, $"killed at chunk {stalledAt} of {total}; writes before the kill: {string.Join(",", firstRun)}");
    }

    [Theory]
    [InlineData(10, 4)]
    [InlineData(40, 21)]
    public async Task Upload_StoppedCleanlyWhileTheBrokerStalls_SavesTheAcknowledgedChunks_AndResumesThere(int frames, int stalledAt)
    {
        // No time-based saves: only every 8 chunks and the stop itself can write the position.
        var broker = await GatedBroker.StartAsync(stalledAt);
        await using var f = UplinkFixture.StartOn(broker, broker.Port, new UplinkOptions { ChunkBytes = ChunkBytes, ProgressSaveInterval = TimeSpan.FromHours(1) });
        var (stored, total) = await StoreAndConnectAsync(f, "stopped", frames, stalledAt);
        var log = new ProgressLog(f.Uploader);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var upload = f.Uploader.UploadAsync(stored, stop.Token);
        await broker.Held.WaitAsync(Waits.Timeout, Token);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        Assert.Equal(stalledAt, f.Catalog.FindClip("stopped")!.ChunksSent);
        Assert.Equal(stalledAt, log.Writes("stopped")[^1]);
        var firstRun = log.Writes("stopped");
        f.RestartDevice();
        await ResumeAndCheckAsync(f, stored, total, stalledAt, $"stopped at chunk {stalledAt} of {total}; writes before the stop: {string.Join(",", firstRun)}");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(128)]
    public async Task Upload_WritesItsPositionEveryFewChunks_NotEveryChunk(int frames)
    {
        await using var f = await UplinkFixture.StartAsync(chunkBytes: ChunkBytes);
        var (stored, total) = await StoreAndConnectAsync(f, "counted", frames, 1);
        var log = new ProgressLog(f.Uploader);
        var clock = Stopwatch.StartNew();

        await f.Uploader.UploadAsync(stored, Token);

        // Every 8 chunks and at the end, plus at most one per ProgressSaveInterval the broker kept it waiting.
        var writes = log.Writes("counted");
        var stalls = (int)(clock.Elapsed / f.Options.ProgressSaveInterval);
        TestContext.Current.TestOutputHelper?.WriteLine($"{total} chunks: {writes.Count} catalog writes ({string.Join(",", writes)}) in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(total, writes[^1]);
        // Every chunk is out; the receiver may already have acknowledged the clip by now.
        Assert.Contains(f.Catalog.FindClip("counted")!.UploadState, new[] { UploadState.Sent, UploadState.Acknowledged });
        Assert.InRange(writes.Count, 1, (total / UploadProgress.SaveEveryChunks) + 1 + stalls);
        Assert.Equal(writes.Order(), writes);
    }

    private static async Task<(StoredClip Clip, int Chunks)> StoreAndConnectAsync(UplinkFixture f, string clipId, int frames, int stalledAt)
    {
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        var stored = f.Store.Save(TestClips.Clip(clipId, frames: frames, frameBytes: 16_000));
        var total = ClipManifest.ChunkCountFor(stored.SizeBytes, ChunkBytes);
        Assert.InRange(stalledAt, 1, total - 1);
        Assert.True(await f.Uploader.EnsureConnectedAsync(Token));
        return (stored, total);
    }

    /// <summary>The restarted agent sends the clip; its first chunk on the wire is <paramref name="resumeAt"/>.</summary>
    private static async Task ResumeAndCheckAsync(UplinkFixture f, StoredClip stored, int total, int resumeAt, string what)
    {
        var received = new TaskCompletionSource<ReceivedClip>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.ClipReceived += c => received.TrySetResult(c);
        Assert.Equal(resumeAt, f.Catalog.FindClip(stored.ClipId)!.ChunksSent);
        using var sniffer = await ChunkSniffer.StartAsync(f.Endpoint, f.Topics.ClipChunk(stored.ClipId));
        Assert.True(await f.Uploader.EnsureConnectedAsync(Token));

        await f.Uploader.UploadAsync(f.Catalog.FindClip(stored.ClipId)!, Token);

        var clip = await received.Task.WaitAsync(Waits.Timeout, Token);
        await sniffer.WaitForAsync(total - resumeAt);
        TestContext.Current.TestOutputHelper?.WriteLine($"{what}; next run's first chunk: {sniffer.Indices.Min()}");
        Assert.Equal(Enumerable.Range(resumeAt, total - resumeAt), sniffer.Indices.Order());
        Assert.Equal(stored.Sha256, ClipFileStore.HashFile(clip.Path));
    }
}

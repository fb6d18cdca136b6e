using System.Collections.Concurrent;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Uplink.Tests.Upload;

/// <summary>
/// The uploader keeps the time each clip went out whole, to send it again when no ack follows. The
/// soak found that record growing by one clip in five: a quick receiver acknowledged the clip
/// before the uploader wrote the time down, and nothing removed it after. It holds only clips still
/// waiting for their ack, however many were sent.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SentClipTrackingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClipsAcknowledgedBeforeTheirUploadReturns_LeaveNoSendTimeBehind()
    {
        const int clips = 5;
        await using var f = await UplinkFixture.StartAsync(chunkBytes: 16 * 1024);
        var acknowledged = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        f.Uploader.Acknowledged += id => acknowledged[id] = true;

        // The save that marks a clip Sent waits for its ack: the ack is handled before the upload returns, as a quick receiver's is.
        f.Uploader.ProgressSaved += (id, _) =>
        {
            if (f.Catalog.FindClip(id) is { UploadState: UploadState.Sent })
            {
                Assert.True(SpinWait.SpinUntil(() => acknowledged.ContainsKey(id), Waits.Timeout), $"{id} was not acknowledged");
            }
        };
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        Assert.True(await f.Uploader.EnsureConnectedAsync(Token));

        for (var i = 0; i < clips; i++)
        {
            var stored = f.Store.Save(TestClips.Clip($"quick-{i}", frames: 4, frameBytes: 10_000));
            await f.Uploader.UploadAsync(stored, Token);
        }

        Assert.Equal(clips, acknowledged.Count);
        Assert.All(acknowledged.Keys, id => Assert.Equal(UploadState.Acknowledged, f.Catalog.FindClip(id)!.UploadState));
        Assert.Equal(0, f.Uploader.TrackedSentClips);
    }

    [Fact]
    public async Task AClipThatLeftSentWithoutAnAck_IsForgottenAtTheNextRequeueCheck()
    {
        await using var f = await UplinkFixture.StartAsync(chunkBytes: 16 * 1024);
        var stored = f.Store.Save(TestClips.Clip("partial", frames: 10, frameBytes: 10_000));
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        Assert.True(await f.Uploader.EnsureConnectedAsync(Token));

        // As after a restart that had sent chunks 0..2: the receiver never gets those, so no ack comes.
        f.Catalog.UpdateUpload(stored.ClipId, UploadState.Pending, 3);
        await f.Uploader.UploadAsync(f.Catalog.FindClip(stored.ClipId)!, Token);
        Assert.Equal(UploadState.Sent, f.Catalog.FindClip(stored.ClipId)!.UploadState);
        Assert.Equal(1, f.Uploader.TrackedSentClips);

        // What a hash-mismatch ack does: the clip goes back to the queue from chunk 0.
        f.Catalog.UpdateUpload(stored.ClipId, UploadState.Pending, 0);
        Assert.Equal(0, f.Uploader.RequeueUnacknowledged(TimeSpan.FromHours(1)));

        Assert.Equal(0, f.Uploader.TrackedSentClips);
    }
}

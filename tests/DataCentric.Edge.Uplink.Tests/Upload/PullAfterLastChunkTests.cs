using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Tests.Upload;

/// <summary>
/// A pull that lands after a clip's last chunk went up (the clip waits for its receiver's ack)
/// re-queues it; the ack for that earlier copy then arrives and marks it acknowledged. The asker
/// subscribed too late for that copy, so the device must still send it again (seen once in CI:
/// <c>ClipsPullFromAgentTests</c> waited 30 s for a clip the device listed as acknowledged).
/// </summary>
[Trait("Category", "Integration")]
public sealed class PullAfterLastChunkTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClipPulled_ThenAcknowledgedForAnEarlierCopy_IsSentAgain()
    {
        await using var f = await UplinkFixture.StartAsync(chunkBytes: 16 * 1024);
        var stored = f.Store.Save(TestClips.Clip("raced", frames: 4, frameBytes: 16_000));
        var requests = new UploadRequests();

        // The race's outcome: requested by a pull, yet acknowledged by the earlier copy's ack.
        requests.Request("raced");
        f.Catalog.UpdateUpload("raced", UploadState.Acknowledged, 0);

        var received = new TaskCompletionSource<ReceivedClip>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.ClipReceived += c => received.TrySetResult(c);
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        using var loop = new UploadLoop(f.Uploader, f.Catalog, new AlwaysGate(), requests, TimeProvider.System) { IdleRecheck = TimeSpan.FromMilliseconds(200) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var running = loop.RunAsync(stop.Token);
        var clip = await received.Task.WaitAsync(Waits.Timeout, Token);

        Assert.Equal(stored.Sha256, clip.Manifest.Sha256);
        await Waits.WaitUntilAsync(() => !requests.IsRequested("raced"), "the pull is served");
        await stop.CancelAsync();
        await running;
    }

    private sealed class AlwaysGate : IUploadGate
    {
        public bool MayUpload(StoredClip clip) => true;
    }
}

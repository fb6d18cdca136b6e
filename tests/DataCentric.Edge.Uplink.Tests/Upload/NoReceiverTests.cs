using System.Collections.Concurrent;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Upload;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Uplink.Tests.Upload;

/// <summary>
/// mosquitto answers a publish nobody subscribes to with PUBACK 0x10 and drops it. A clip published
/// then is not sent: the device stops it, keeps its position, and tries again within
/// <c>Uplink:NoReceiverRetry</c>..<c>MaxNoReceiverRetry</c>, never waiting out <c>AckTimeout</c> (10 min).
/// </summary>
[Trait("Category", "Integration")]
public sealed class NoReceiverTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClipPublishedWithNoReceiver_ArrivesSoonAfterOneSubscribes_NotAfterTheAckTimeout()
    {
        var options = new UplinkOptions { ChunkBytes = 16 * 1024, NoReceiverRetry = TimeSpan.FromMilliseconds(100), MaxNoReceiverRetry = TimeSpan.FromMilliseconds(300) };
        await using var f = await UplinkFixture.StartOnMosquittoAsync(options: options);
        var stored = f.Store.Save(TestClips.Clip("lonely", frames: 10, frameBytes: 16_000));
        using var sniffer = await ChunkSniffer.StartAsync(f.Endpoint, f.Topics.ClipChunk("+"));
        var received = new TaskCompletionSource<ReceivedClip>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.ClipReceived += c => received.TrySetResult(c);
        var waits = new ConcurrentQueue<TimeSpan>();
        var tries = new SemaphoreSlim(0);
        using var loop = NewLoop(f, TimeProvider.System);
        loop.NoReceiver += wait =>
        {
            waits.Enqueue(wait);
            tries.Release();
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var running = loop.RunAsync(stop.Token);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await tries.WaitAsync(Waits.Timeout, Token), $"no-receiver try {i + 1} not reported");
        }

        // Three manifests went unheard; no chunk followed them and the clip is still owed, from chunk 0.
        Assert.Empty(sniffer.Indices);
        Assert.Equal((UploadState.Pending, 0), (f.Catalog.FindClip("lonely")!.UploadState, f.Catalog.FindClip("lonely")!.ChunksSent));
        Assert.Equal([100, 200, 300], waits.Take(3).Select(w => (int)w.TotalMilliseconds));

        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        var clip = await received.Task.WaitAsync(Waits.Timeout, Token);

        Assert.Equal(stored.Sha256, clip.Manifest.Sha256);
        await Waits.WaitUntilAsync(() => f.Catalog.FindClip("lonely")!.UploadState == UploadState.Acknowledged, "the clip is acknowledged");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task WithTheDefaultRetry_AReceiverThatSubscribes_GetsTheClipAfterFiveSeconds_OnTheLoopsClock()
    {
        await using var f = await UplinkFixture.StartOnMosquittoAsync(options: new UplinkOptions { ChunkBytes = 16 * 1024 });
        f.Store.Save(TestClips.Clip("later", frames: 4, frameBytes: 16_000));
        var received = new TaskCompletionSource<ReceivedClip>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.ClipReceived += c => received.TrySetResult(c);
        var time = new FakeTimeProvider();
        var tried = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var loop = NewLoop(f, time);
        loop.NoReceiver += wait => tried.TrySetResult(wait);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var running = loop.RunAsync(stop.Token);
        var wait = await tried.Task.WaitAsync(Waits.Timeout, Token);
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));

        // Nothing moves until the loop's clock reaches the retry: 5 s by default, not AckTimeout's 10 min.
        Assert.Equal(TimeSpan.FromSeconds(5), wait);
        Assert.False(received.Task.IsCompleted);
        time.Advance(wait);
        await received.Task.WaitAsync(Waits.Timeout, Token);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task ChunkWithNoReceiver_StopsTheClipWhereItStands()
    {
        // A subscriber to manifests only: the manifest is heard, the chunks get 0x10 (a receiver gone mid-clip).
        await using var f = await UplinkFixture.StartOnMosquittoAsync(options: new UplinkOptions { ChunkBytes = 16 * 1024 });
        using var manifestsOnly = new MqttClientFactory().CreateMqttClient();
        await manifestsOnly.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(f.Endpoint.Host, f.Endpoint.Port).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build(), Token);
        await manifestsOnly.SubscribeAsync(f.Topics.ClipManifest("+"), MqttQualityOfServiceLevel.AtLeastOnce, Token);
        var stored = f.Store.Save(TestClips.Clip("halfway", frames: 40, frameBytes: 16_000));
        Assert.True(await f.Uploader.EnsureConnectedAsync(Token));

        var error = await Assert.ThrowsAsync<NoReceiverException>(() => f.Uploader.UploadAsync(stored, Token));

        Assert.Contains("PUBACK 0x10", error.Message, StringComparison.Ordinal);
        Assert.Contains("waits at chunk 0", error.Message, StringComparison.Ordinal);
        Assert.Equal((UploadState.Pending, 0), (f.Catalog.FindClip("halfway")!.UploadState, f.Catalog.FindClip("halfway")!.ChunksSent));
    }

    private static UploadLoop NewLoop(UplinkFixture f, TimeProvider time) =>
        new(f.Uploader, f.Catalog, new AlwaysGate(), new UploadRequests(), time) { IdleRecheck = TimeSpan.FromMilliseconds(200) };

    private sealed class AlwaysGate : IUploadGate
    {
        public bool MayUpload(StoredClip clip) => true;
    }
}

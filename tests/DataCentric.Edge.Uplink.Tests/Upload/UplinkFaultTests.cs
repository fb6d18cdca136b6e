using System.Collections.Concurrent;
using System.Text.Json;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Upload;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Uplink.Tests.Upload;

/// <summary>Outages, restarts and broker limits, on mosquitto (shared subscriptions and packet limits live there).</summary>
[Trait("Category", "Integration")]
public sealed class UplinkFaultTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BrokerDown_WhileTriggersFire_EverythingArrivesAfterReconnect_InPriorityOrder()
    {
        var options = new UplinkOptions { ChunkBytes = 16 * 1024, ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        await using var f = await UplinkFixture.StartOnMosquittoAsync(new MosquittoOptions { Persistence = true }, options);
        var arrivals = new ConcurrentQueue<string>();
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.ClipReceived += c =>
        {
            arrivals.Enqueue(c.Manifest.ClipId);
            if (arrivals.Count == 4)
            {
                allIn.TrySetResult();
            }
        };
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        await f.Mosquitto.StopAsync(graceful: true);
        await Waits.WaitUntilAsync(() => !f.Receiver.IsConnected, "the receiver has seen the broker go");

        // Triggers fire while the broker is down: the clips wait in the catalog, not in broker memory.
        f.Store.Save(TestClips.Clip("low", frames: 4, frameBytes: 10_000, priority: 1));
        f.Store.Save(TestClips.Clip("high", frames: 4, frameBytes: 10_000, priority: 9));
        f.Store.Save(TestClips.Clip("mid", frames: 4, frameBytes: 10_000, priority: 5));
        f.Store.Save(TestClips.Clip("upper", frames: 4, frameBytes: 10_000, priority: 7));
        using var loop = NewLoop(f);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var running = loop.RunAsync(stop.Token);
        await Waits.WaitUntilAsync(() => loop.FailedAttempts >= 2, "the uploader has tried and failed to connect twice");

        // The broker comes back with the receiver's persistent session: it gets what was queued for it.
        await f.Mosquitto.StartAsync(Token);
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        loop.Wake();

        await allIn.Task.WaitAsync(Waits.Timeout, Token);
        Assert.Equal(["high", "upper", "mid", "low"], arrivals);
        await Waits.WaitUntilAsync(() => f.Catalog.RecentClips(10).All(c => c.UploadState == UploadState.Acknowledged), "every clip is acknowledged");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task AgentKilledMidUpload_ResumesFromTheLastAckedChunk_AndTheReceiverHoldsOneIntactCopy()
    {
        // Capped at 400 KiB/s so the kill lands mid-clip.
        await using var f = await UplinkFixture.StartAsync(chunkBytes: 16 * 1024, maxBytesPerSecond: 400 * 1024);
        var received = new ConcurrentQueue<ReceivedClip>();
        var whole = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.ClipReceived += c =>
        {
            received.Enqueue(c);
            whole.TrySetResult();
        };
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        var stored = f.Store.Save(TestClips.Clip("big", frames: 80, frameBytes: 10_000));
        var totalChunks = ClipManifest.ChunkCountFor(stored.SizeBytes, 16 * 1024);
        await f.Uploader.EnsureConnectedAsync(Token);

        using (var kill = CancellationTokenSource.CreateLinkedTokenSource(Token))
        {
            var upload = f.Uploader.UploadAsync(stored, kill.Token);
            await Waits.WaitUntilAsync(() => f.Catalog.FindClip("big")!.ChunksSent >= 10, "ten chunks are acknowledged by the broker");
            await kill.CancelAsync();
            var error = await Assert.ThrowsAnyAsync<Exception>(() => upload);
            Assert.True(error is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationTimedOutException, error.ToString());
        }

        f.Options.MaxBytesPerSecond = 0;
        f.RestartDevice();
        var resumeFrom = f.Catalog.FindClip("big")!.ChunksSent;
        Assert.InRange(resumeFrom, 10, totalChunks - 1);
        using var sniffer = await ChunkSniffer.StartAsync(f.Endpoint, f.Topics.ClipChunk("big"));
        await f.Uploader.EnsureConnectedAsync(Token);
        await f.Uploader.UploadAsync(f.Catalog.FindClip("big")!, Token);

        await whole.Task.WaitAsync(Waits.Timeout, Token);
        await sniffer.WaitForAsync(totalChunks - resumeFrom);
        Assert.Equal(Enumerable.Range(resumeFrom, totalChunks - resumeFrom), sniffer.Indices.Order());
        var clip = Assert.Single(received);
        Assert.Equal(stored.Sha256, ClipFileStore.HashFile(clip.Path));
        Assert.Single(ReceivedClipIndex.ReadAll(f.Dir.Combine("received")));
        Assert.Single(Directory.EnumerateFiles(f.Dir.Combine("received", "fleet1"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task SharedSubscription_OnMosquitto_TwoReceiversSplitTheChunks_AndOneIntactCopyIsAcked()
    {
        await using var f = await UplinkFixture.StartOnMosquittoAsync(sharedGroup: "receivers", options: new UplinkOptions { ChunkBytes = 8 * 1024 });
        await using var second = new ClipReceiver(
            new ReceiverOptions { OutputDirectory = f.Dir.Combine("received"), SharedGroup = "receivers", ClientId = "dce-receiver-2" }, f.Options, f.Endpoint);
        var chunksPerReceiver = new int[2];
        f.Receiver.ChunkReceived += (_, _, _, _, _) => Interlocked.Increment(ref chunksPerReceiver[0]);
        second.ChunkReceived += (_, _, _, _, _) => Interlocked.Increment(ref chunksPerReceiver[1]);
        var acknowledged = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Uploader.Acknowledged += id => acknowledged.TrySetResult(id);
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        Assert.True(await second.EnsureConnectedAsync(Token));
        Assert.All(f.Receiver.Filters, filter => Assert.StartsWith("$share/receivers/dce/v1/", filter, StringComparison.Ordinal));
        var stored = f.Store.Save(TestClips.Clip("split", frames: 20, frameBytes: 10_000));
        await f.Uploader.EnsureConnectedAsync(Token);

        await f.Uploader.UploadAsync(stored, Token);
        var ack = acknowledged.Task;
        while (!ack.IsCompleted)
        {
            // Whoever took the last chunk may have looked before the other wrote its share: the sweep completes it.
            await f.Receiver.SweepAsync(Token);
            await second.SweepAsync(Token);
            await Task.WhenAny(ack, Task.Delay(50, Token));
        }

        Assert.Equal("split", await ack.WaitAsync(Waits.Timeout, Token));
        Assert.True(chunksPerReceiver[0] > 0 && chunksPerReceiver[1] > 0, $"chunks per receiver: {chunksPerReceiver[0]}, {chunksPerReceiver[1]}");
        Assert.Equal(stored.Sha256, ClipFileStore.HashFile(f.Receiver.Storage.FinalPath(ManifestOf(f, stored))));
        Assert.Single(ReceivedClipIndex.ReadAll(f.Dir.Combine("received")));
    }

    [Fact]
    public async Task BrokerMessageSizeLimit_BelowTheChunkSize_HalvesTheChunks_AndTheClipArrives()
    {
        await using var f = await UplinkFixture.StartOnMosquittoAsync(new MosquittoOptions { MessageSizeLimitBytes = 40_000 });
        var changed = new TaskCompletionSource<(int Size, string Why)>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Uploader.ChunkSizeChanged += (size, why) => changed.TrySetResult((size, why));
        var received = new TaskCompletionSource<ReceivedClip>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.ClipReceived += c => received.TrySetResult(c);
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        var stored = f.Store.Save(TestClips.Clip("sized", frames: 20, frameBytes: 10_000));
        using var loop = NewLoop(f);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var running = loop.RunAsync(stop.Token);

        var (size, why) = await changed.Task.WaitAsync(Waits.Timeout, Token);
        Assert.Equal(32 * 1024, size);
        Assert.Contains("0x95", why, StringComparison.Ordinal);
        var clip = await received.Task.WaitAsync(Waits.Timeout, Token);
        Assert.Equal(stored.Sha256, ClipFileStore.HashFile(clip.Path));
        Assert.Equal(32 * 1024, clip.Manifest.ChunkBytes);
        Assert.Equal(0, loop.FailedAttempts);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task BrokerLimit_BelowTheSmallestChunk_PausesWithAClearStatus_AndNeverReconnects()
    {
        var options = new UplinkOptions { ChunkBytes = 64 * 1024, MinChunkBytes = 32 * 1024 };
        await using var f = await UplinkFixture.StartOnMosquittoAsync(new MosquittoOptions { MessageSizeLimitBytes = 20_000 }, options);
        var connects = 0;
        f.Connection.Connected += _ =>
        {
            Interlocked.Increment(ref connects);
            return Task.CompletedTask;
        };
        using var watcher = await StatusWatcher.StartAsync(f.Endpoint, f.Topics.Status);

        // A receiver is there, so the manifest goes through and the first chunk meets the limit.
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        f.Store.Save(TestClips.Clip("too-big", frames: 20, frameBytes: 10_000));
        using var loop = NewLoop(f);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var running = loop.RunAsync(stop.Token);

        var status = await watcher.Paused.Task.WaitAsync(Waits.Timeout, Token);
        Assert.Contains("0x95", status.Detail, StringComparison.Ordinal);
        Assert.Contains("MinChunkBytes", status.Detail, StringComparison.Ordinal);
        Assert.Equal(status.Detail, f.Uploader.PausedReason);
        loop.Wake();
        loop.Wake();
        Assert.True(f.Connection.IsConnected);
        Assert.Equal(1, connects);
        Assert.Equal(0, loop.FailedAttempts);
        Assert.Equal(UploadState.Pending, f.Catalog.FindClip("too-big")!.UploadState);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task BrokerMaxPacketSize_IsTakenFromConnack_SoChunksFitAndTheLinkStaysUp()
    {
        await using var f = await UplinkFixture.StartOnMosquittoAsync(new MosquittoOptions { MaxPacketSizeBytes = 50_000 });
        var received = new TaskCompletionSource<ReceivedClip>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.ClipReceived += c => received.TrySetResult(c);
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        var stored = f.Store.Save(TestClips.Clip("fits", frames: 20, frameBytes: 10_000));

        Assert.True(await f.Uploader.EnsureConnectedAsync(Token));
        Assert.Equal(50_000u, f.Connection.MaximumPacketSize);
        Assert.True(f.Uploader.ChunkBytes <= 50_000 - MqttClipUploader.PacketOverheadBytes);
        await f.Uploader.UploadAsync(stored, Token);

        var clip = await received.Task.WaitAsync(Waits.Timeout, Token);
        Assert.Equal(stored.Sha256, ClipFileStore.HashFile(clip.Path));
        Assert.True(f.Connection.IsConnected);
    }

    private static UploadLoop NewLoop(UplinkFixture f) =>
        new(f.Uploader, f.Catalog, new AlwaysGate(), new UploadRequests(), TimeProvider.System) { IdleRecheck = TimeSpan.FromMilliseconds(200) };

    private static ClipManifest ManifestOf(UplinkFixture f, StoredClip clip) =>
        new(clip.ClipId, f.Topics.Fleet, f.Topics.Device, clip.FileName, clip.SizeBytes, clip.Sha256, 1, 1, 0, [], clip.StartWall, clip.EndWall, 0, null);

    private sealed class AlwaysGate : IUploadGate
    {
        public bool MayUpload(StoredClip clip) => true;
    }

    private sealed class StatusWatcher : IDisposable
    {
        private readonly IMqttClient _client;

        private StatusWatcher(IMqttClient client) => _client = client;

        public TaskCompletionSource<DeviceStatus> Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static async Task<StatusWatcher> StartAsync(BrokerEndpoint endpoint, string topic)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var watcher = new StatusWatcher(client);
            client.ApplicationMessageReceivedAsync += e =>
            {
                var status = JsonSerializer.Deserialize<DeviceStatus>(e.ApplicationMessage.Payload.FirstSpan, UplinkJson.Options);
                if (status is { State: "paused" })
                {
                    watcher.Paused.TrySetResult(status);
                }

                return Task.CompletedTask;
            };
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(endpoint.Host, endpoint.Port).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build(), Token);
            await client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce, Token);
            return watcher;
        }

        public void Dispose() => _client.Dispose();
    }
}

using System.Collections.Concurrent;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Network;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Tests.Upload;

/// <summary>
/// The receiver service (<see cref="ReceiverLoop"/>, what <c>edgectl receive</c> runs) on mosquitto
/// killed and restarted, as in the soak bench: it must come back every time, and clips uploaded
/// after each restart must be received and acknowledged. The receiver reaches the broker through a
/// <see cref="FaultProxy"/> so a restart can be made to land while its reconnect is pending, and so
/// a hung broker can be played; the device connects to mosquitto directly.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReceiverLoopRestartTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReceiverLoop_AcrossRepeatedBrokerKills_ReconnectsAndEveryClipAfterEachRestartIsAcknowledged()
    {
        await using var rig = await Rig.StartAsync();
        await rig.ConnectedAsync("the first connect");
        await rig.DeliverAsync("before-kills");

        for (var kill = 1; kill <= 3; kill++)
        {
            await rig.F.Mosquitto.StopAsync();
            await Waits.WaitUntilAsync(() => !rig.Receiver.IsConnected, $"the receiver saw kill {kill}");
            await rig.F.Mosquitto.StartAsync(Token);

            await rig.ConnectedAsync($"the reconnect after kill {kill}");
            await rig.DeliverAsync($"after-kill-{kill}");
        }

        // Killed while the receiver's reconnect waits for its CONNACK: the link hangs (the proxy
        // holds the CONNECT), the receiver's keep-alive gives up and it dials again, then the
        // broker dies under that pending connect.
        var dialled = rig.Proxy.ConnectionsAccepted;
        rig.Proxy.Freeze();
        await Waits.WaitUntilAsync(() => rig.Proxy.ConnectionsAccepted > dialled, "the receiver is reconnecting through the hung link");
        rig.ForgetDownReports(); // Only a deadline reached after the kill counts below.
        await rig.F.Mosquitto.StopAsync();
        await rig.DownAsync(reason => reason.Contains("did not accept the connection", StringComparison.Ordinal), "the pending connect ran into its deadline");
        await rig.F.Mosquitto.StartAsync(Token);
        rig.Proxy.Thaw();

        await rig.ConnectedAsync("the reconnect after the kill mid-connect");
        await rig.DeliverAsync("after-kill-mid-connect");
        await rig.StopAsync();
    }

    [Fact]
    public async Task ReceiverLoop_BrokerKilledWhileAMessageIsBeingHandled_KeepsTryingUntilTheOldConnectionHasClosed()
    {
        // The kill loses what the broker queued for the receiver (no persistence): the device sends the clip again after its AckTimeout.
        await using var rig = await Rig.StartAsync(ackTimeout: TimeSpan.FromSeconds(1));
        await rig.ConnectedAsync("the first connect");
        using var handling = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        var held = 0;
        rig.Receiver.ChunkReceived += (_, _, clip, _, _) =>
        {
            // Holds MQTTnet's message handler once, as a slow disk or a blocked output would.
            if (clip == "held" && Interlocked.Exchange(ref held, 1) == 0)
            {
                handling.Release();
                release.Wait(Waits.Timeout, Token);
            }
        };
        var stored = rig.Store("held");
        Assert.True(await handling.WaitAsync(Waits.Timeout, Token), "the receiver started handling a chunk");

        // The connection the kill broke cannot finish closing while its handler runs: connects made
        // meanwhile are refused by MQTTnet ("connect/disconnect is pending"), which ended edgectl receive.
        rig.ForgetDownReports();
        await rig.F.Mosquitto.StopAsync();
        await rig.DownAsync(reason => reason.Contains("still closing", StringComparison.Ordinal), "a connect was refused while the last connection was closing");
        release.Set();
        await rig.F.Mosquitto.StartAsync(Token);

        await rig.ConnectedAsync("the reconnect once the handler returned");
        await rig.DeliveredAsync(stored);
        await rig.DeliverAsync("after-the-held-one");
        await rig.StopAsync();
    }

    [Fact]
    public async Task ReceiverLoop_AgainstAHungBroker_ReportsDownWithTheReason_AndConnectsOnceTheBrokerAnswers()
    {
        await using var rig = await Rig.StartAsync(startFrozen: true);

        // The broker accepts TCP but never answers: each connect ends at its deadline, said as such.
        await rig.DownAsync(reason => reason.Contains("did not accept the connection within 1 s", StringComparison.Ordinal), "a connect timed out");
        await rig.DownAsync(reason => reason.Contains("did not accept the connection within 1 s", StringComparison.Ordinal), "a second connect timed out");
        Assert.False(rig.Receiver.IsConnected);
        Assert.Equal(0, rig.Connects);

        rig.Proxy.Thaw();

        await rig.ConnectedAsync("the connect once the broker answers");
        await rig.DeliverAsync("after-the-hang");
        await rig.StopAsync();
    }

    /// <summary>The device with its upload loop, and a receiver loop behind a fault proxy, on one mosquitto.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        private readonly SemaphoreSlim _connected = new(0);
        private readonly SemaphoreSlim _down = new(0);
        private readonly ConcurrentQueue<string> _downReasons = new();
        private readonly ConcurrentDictionary<string, ReceivedClip> _received = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _acks = new(StringComparer.Ordinal);
        private readonly UploadLoop _uploads;
        private Task _receiving = Task.CompletedTask;
        private Task _uploading = Task.CompletedTask;
        private int _connects;

        private Rig(UplinkFixture f, FaultProxy proxy, UplinkOptions options)
        {
            F = f;
            Proxy = proxy;
            var receiverOptions = new ReceiverOptions
            {
                OutputDirectory = f.Dir.Combine("received-by-loop"),
                ClientId = "dce-receiver-restarts",
                SweepInterval = TimeSpan.FromMilliseconds(100),
            };
            Receiver = new ClipReceiver(receiverOptions, options, new BrokerEndpoint("127.0.0.1", proxy.Port));
            Receiver.ClipReceived += clip => _received[clip.Manifest.ClipId] = clip;
            Loop = new ReceiverLoop(Receiver, receiverOptions, options, TimeProvider.System);
            Loop.Connected += () =>
            {
                Interlocked.Increment(ref _connects);
                _connected.Release();
            };
            Loop.Down += (reason, _) =>
            {
                _downReasons.Enqueue(reason);
                _down.Release();
            };
            f.Uploader.Acknowledged += id => Ack(id).TrySetResult();
            _uploads = new UploadLoop(f.Uploader, f.Catalog, new AlwaysGate(), new UploadRequests(), TimeProvider.System) { IdleRecheck = TimeSpan.FromMilliseconds(200) };
        }

        public UplinkFixture F { get; }

        public FaultProxy Proxy { get; }

        public ClipReceiver Receiver { get; }

        public ReceiverLoop Loop { get; }

        public int Connects => Volatile.Read(ref _connects);

        /// <param name="ackTimeout">How long the device waits for a clip's acknowledgement before sending it again; the default when null.</param>
        public static async Task<Rig> StartAsync(bool startFrozen = false, TimeSpan? ackTimeout = null)
        {
            var options = new UplinkOptions
            {
                ChunkBytes = 16 * 1024,
                KeepAlive = TimeSpan.FromSeconds(1),
                ConnectTimeout = TimeSpan.FromSeconds(1),
                ReconnectDelay = TimeSpan.FromMilliseconds(50),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(200),

                // A clip sent in the moment before the receiver subscribed again is tried again soon.
                NoReceiverRetry = TimeSpan.FromMilliseconds(100),
                MaxNoReceiverRetry = TimeSpan.FromMilliseconds(300),
            };
            options.AckTimeout = ackTimeout ?? options.AckTimeout;
            var f = await UplinkFixture.StartOnMosquittoAsync(options: options);
            var proxy = new FaultProxy(f.Mosquitto.Port);
            if (startFrozen)
            {
                proxy.Freeze();
            }

            var rig = new Rig(f, proxy, options);
            rig._receiving = rig.Loop.RunAsync(rig._stop.Token);
            rig._uploading = rig._uploads.RunAsync(rig._stop.Token);
            return rig;
        }

        /// <summary>Waits for the next (re)connect of the receiver loop; its task must not have ended.</summary>
        public async Task ConnectedAsync(string what)
        {
            Assert.True(await _connected.WaitAsync(Waits.Timeout, Token), $"timed out waiting for {what}; reported down: {string.Join(" | ", _downReasons)}");
            Assert.False(_receiving.IsCompleted, $"the receiver loop ended: {_receiving.Exception}");
        }

        /// <summary>Waits for a Down report that <paramref name="matches"/>, skipping others.</summary>
        public async Task DownAsync(Func<string, bool> matches, string what)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
            timeout.CancelAfter(Waits.Timeout);
            var seen = new List<string>();
            while (true)
            {
                try
                {
                    await _down.WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!Token.IsCancellationRequested)
                {
                    Assert.Fail($"timed out waiting until {what}; reported down: {string.Join(" | ", seen)}; the receiver loop {(_receiving.IsCompleted ? $"ended: {_receiving.Exception}" : "runs")}");
                }

                Assert.True(_downReasons.TryDequeue(out var reason));
                seen.Add(reason);
                if (matches(reason))
                {
                    return;
                }
            }
        }

        /// <summary>Drops the Down reports so far.</summary>
        public void ForgetDownReports()
        {
            while (_down.Wait(0))
            {
                Assert.True(_downReasons.TryDequeue(out _));
            }
        }

        /// <summary>The device stores a clip; it must reach the receiver intact and be acknowledged.</summary>
        public Task DeliverAsync(string clipId) => DeliveredAsync(Store(clipId));

        /// <summary>The device stores a clip and its upload loop is woken.</summary>
        public StoredClip Store(string clipId)
        {
            var stored = F.Store.Save(TestClips.Clip(clipId, frames: 6, frameBytes: 10_000));
            _uploads.Wake();
            return stored;
        }

        /// <summary>The clip reached the receiver intact and was acknowledged.</summary>
        public async Task DeliveredAsync(StoredClip stored)
        {
            var clipId = stored.ClipId;
            await Ack(clipId).Task.WaitAsync(Waits.Timeout, Token);

            Assert.True(_received.TryGetValue(clipId, out var clip), $"{clipId} was acknowledged but not received by this receiver");
            Assert.Equal(stored.Sha256, ClipFileStore.HashFile(clip.Path));
            Assert.Equal(UploadState.Acknowledged, F.Catalog.FindClip(clipId)!.UploadState);
            Assert.False(_receiving.IsCompleted, $"the receiver loop ended: {_receiving.Exception}");
        }

        /// <summary>Stops both loops; the receiver loop must end cleanly, never faulted.</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _receiving.WaitAsync(Waits.Timeout, Token);
            await _uploading.WaitAsync(Waits.Timeout, Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _uploading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _uploads.Dispose();
            await Receiver.DisposeAsync();
            await Proxy.DisposeAsync();
            await F.DisposeAsync();
            _stop.Dispose();
            _connected.Dispose();
            _down.Dispose();
        }

        private TaskCompletionSource Ack(string clipId) =>
            _acks.GetOrAdd(clipId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    private sealed class AlwaysGate : IUploadGate
    {
        public bool MayUpload(StoredClip clip) => true;
    }
}

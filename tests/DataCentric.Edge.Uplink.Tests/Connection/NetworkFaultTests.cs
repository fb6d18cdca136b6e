using System.Collections.Concurrent;
using System.Diagnostics;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Tests.Connection;

/// <summary>
/// The device uploads through a fault proxy to mosquitto while a receiver listens on the broker
/// directly. For each fault, mid-stream: the agent notices, reconnects, and every clip arrives
/// intact and once. Detection and recovery times are printed (run with -diagnostics), not asserted
/// beyond generous deadlines: speed belongs to benches, not tests.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NetworkFaultTests
{
    private const int ClipCount = 10;
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public enum Fault
    {
        /// <summary>300 ms each way: below the keep-alive, so no reconnect is expected.</summary>
        Latency,

        /// <summary>2 KiB/s: a 16 KiB chunk takes 8 s, longer than the agent waits for a PUBACK.</summary>
        BandwidthCollapse,

        /// <summary>Every connection reset (RST) while chunks are in flight.</summary>
        ResetMidStream,

        /// <summary>Nothing forwarded either way and nothing closed: a hung broker, no FIN.</summary>
        HalfOpen,
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Fault.Latency)]
    [InlineData(Fault.BandwidthCollapse)]
    [InlineData(Fault.ResetMidStream)]
    [InlineData(Fault.HalfOpen)]
    public async Task Upload_ThroughAFault_Recovers_AndEveryClipArrivesIntactOnce(Fault fault)
    {
        var options = new UplinkOptions
        {
            ChunkBytes = 16 * 1024,
            KeepAlive = KeepAlive,
            ConnectTimeout = KeepAlive,
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),

            // Capped so the upload is still running when the fault strikes.
            MaxBytesPerSecond = 256 * 1024,
        };
        await using var f = await UplinkFixture.StartOnMosquittoBehindProxyAsync(options);
        var acks = new AckClock();
        f.Uploader.Acknowledged += acks.Record;
        var received = new ConcurrentDictionary<string, int>();
        f.Receiver.ClipReceived += c => received.AddOrUpdate(c.Manifest.ClipId, 1, (_, n) => n + 1);
        Assert.True(await f.Receiver.EnsureConnectedAsync(Token));
        var stored = Enumerable.Range(0, ClipCount).Select(i => f.Store.Save(TestClips.Clip($"clip-{i}", frames: 8, frameBytes: 10_000))).ToList();
        var log = new RecordingLogger<UploadLoop>();
        using var loop = new UploadLoop(f.Uploader, f.Catalog, new AlwaysGate(), new UploadRequests(), TimeProvider.System, log) { IdleRecheck = TimeSpan.FromMilliseconds(200) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var running = loop.RunAsync(stop.Token);
        await acks.NextAfterAsync(0, Deadline, Token);

        (TimeSpan? Detected, long Cleared) injected;
        try
        {
            injected = await InjectAsync(f, fault, acks);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{fault}: {f.Proxy.ConnectionsAccepted} connections, connected {f.Connection.IsConnected}; the uploader logged:{Environment.NewLine}{log.Text}");
            throw;
        }

        var (detected, cleared) = injected;
        var recovery = await acks.NextAfterAsync(cleared, Deadline, Token);

        TestContext.Current.SendDiagnosticMessage(
            $"{fault}: detected in {Describe(detected)}, recovered (fault cleared to next acked clip) in {recovery.TotalMilliseconds:F0} ms, " +
            $"{f.Proxy.ConnectionsAccepted - 1} connections after the first, {f.Receiver.DuplicateChunks} duplicate chunks dropped by the receiver");
        await Waits.WaitUntilAsync(
            () => f.Catalog.RecentClips(ClipCount * 2).Count(c => c.UploadState == UploadState.Acknowledged) == ClipCount,
            "every clip is acknowledged");
        await stop.CancelAsync();
        await running;

        var index = ReceivedClipIndex.ReadAll(f.Dir.Combine("received"));
        foreach (var clip in stored)
        {
            var record = Assert.Single(index, r => r.ClipId == clip.ClipId);
            Assert.Equal(clip.Sha256, record.Sha256);
            Assert.Equal(clip.Sha256, ClipFileStore.HashFile(Path.Combine(f.Dir.Combine("received"), record.RelativePath)));
            Assert.Equal(1, received.GetValueOrDefault(clip.ClipId));
            Assert.Equal(1, acks.Count(clip.ClipId));
        }
    }

    /// <summary>Applies the fault, waits until the agent has noticed (where it should), clears it; returns the detection time and when it was cleared.</summary>
    private static async Task<(TimeSpan? Detected, long Cleared)> InjectAsync(UplinkFixture f, Fault fault, AckClock acks)
    {
        var proxy = f.Proxy;
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var retried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = proxy.ConnectionsAccepted;
        Assert.True(before >= 1, "the device is connected through the proxy");
        proxy.Accepted += count =>
        {
            reconnected.TrySetResult();
            if (count >= before + 2)
            {
                retried.TrySetResult();
            }
        };
        var start = Stopwatch.GetTimestamp();
        switch (fault)
        {
            case Fault.Latency:
                proxy.Latency = TimeSpan.FromMilliseconds(300);

                // Slow but alive: clips still get through, on the same connection.
                await acks.NextAfterAsync(Stopwatch.GetTimestamp(), Deadline, Token);
                await acks.NextAfterAsync(Stopwatch.GetTimestamp(), Deadline, Token);
                Assert.Equal(before, proxy.ConnectionsAccepted);
                proxy.Clear();
                return (null, Stopwatch.GetTimestamp());
            case Fault.BandwidthCollapse:
                proxy.BytesPerSecond = 2 * 1024;
                break;
            case Fault.ResetMidStream:
                Assert.True(proxy.ResetAll() >= 1);
                break;
            case Fault.HalfOpen:
                proxy.Freeze();
                break;
        }

        // The agent gives up on the broken link and dials again (through the proxy, which counts it).
        await reconnected.Task.WaitAsync(Deadline, Token);
        var detected = Stopwatch.GetElapsedTime(start);
        if (fault is not Fault.ResetMidStream)
        {
            // A lasting fault: the new connection fails too, and the agent keeps trying rather than giving up.
            await retried.Task.WaitAsync(Deadline, Token);
        }

        proxy.Clear();
        return (detected, Stopwatch.GetTimestamp());
    }

    private static string Describe(TimeSpan? detected) =>
        detected is { } time ? $"{time.TotalMilliseconds:F0} ms" : "n/a (no reconnect expected)";

    private sealed class AlwaysGate : IUploadGate
    {
        public bool MayUpload(StoredClip clip) => true;
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Fleet.Broker;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Cli.Tests;

[Trait("Category", "Integration")]
public sealed class ReceiveCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Receive_CollectsAnUploadedClip_PrintsItAsJson_AndExitsAfterCount()
    {
        await using var broker = await EmbeddedBroker.StartAsync(0);
        using var dir = new TempDirectory();
        var run = new Edgectl();
        var receive = run.StartAsync(
            "receive", "--broker", $"127.0.0.1:{broker.Port.ToString(CultureInfo.InvariantCulture)}", "--out", dir.Combine("received"),
            "--group", "", "--count", "1", "--json", "--client-id", "cli-test");
        var options = new UplinkOptions { Port = broker.Port, ChunkBytes = 16 * 1024, AckTimeout = TimeSpan.FromMilliseconds(300) };
        using var catalog = new LiteDbClipCatalog(dir.Combine("catalog.db"));
        var store = new ClipFileStore(dir.Combine("clips"), new RawFramesClipWriter(), catalog, TimeProvider.System);
        var stored = store.Save(TestClips.Clip("cli-clip", frames: 6, frameBytes: 10_000));
        await using var uploader = new MqttClipUploader(new DeviceConnection(options, new BrokerEndpoint("127.0.0.1", broker.Port), new FleetTopics("f1", "d1")), catalog, store);
        using var loop = new UploadLoop(uploader, catalog, new UploadPolicyGate(_ => null, new NoNetwork(), new UploadRequests()), new UploadRequests(), TimeProvider.System)
        {
            IdleRecheck = TimeSpan.FromMilliseconds(100),
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var uploading = loop.RunAsync(stop.Token);

        // The receiver may subscribe after the first upload: the uploader resends until acknowledged.
        Assert.Equal(0, await receive.WaitAsync(Timeout, TestContext.Current.CancellationToken));
        await stop.CancelAsync();
        await uploading;

        using var line = JsonDocument.Parse(run.Output.ToString().Trim());
        Assert.Equal("cli-clip", line.RootElement.GetProperty("clipId").GetString());
        Assert.Equal(stored.Sha256, line.RootElement.GetProperty("sha256").GetString());
        Assert.Equal(stored.Sha256, ClipFileStore.HashFile(line.RootElement.GetProperty("path").GetString()!));
        Assert.Equal("cli-clip", Assert.Single(ReceivedClipIndex.ReadAll(dir.Combine("received"))).ClipId);
    }

    [Fact]
    public async Task Receive_KeepsRunningAcrossBrokerKills_AndCollectsAClipAfterEachRestart()
    {
        // As in the soak bench (tools/bench/Soak): mosquitto SIGKILLed and started again under a running receiver.
        var token = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: token);
        using var dir = new TempDirectory();
        var run = new Edgectl();
        var receive = run.StartAsync(
            "receive", "--broker", $"127.0.0.1:{broker.Port.ToString(CultureInfo.InvariantCulture)}", "--out", dir.Combine("received"),
            "--count", "4", "--json", "--client-id", "cli-restarts");
        var options = new UplinkOptions
        {
            Port = broker.Port,
            ChunkBytes = 16 * 1024,
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
            NoReceiverRetry = TimeSpan.FromMilliseconds(100),
            MaxNoReceiverRetry = TimeSpan.FromMilliseconds(300),
        };
        using var catalog = new LiteDbClipCatalog(dir.Combine("catalog.db"));
        var store = new ClipFileStore(dir.Combine("clips"), new RawFramesClipWriter(), catalog, TimeProvider.System);
        await using var uploader = new MqttClipUploader(new DeviceConnection(options, new BrokerEndpoint("127.0.0.1", broker.Port), new FleetTopics("f1", "d1")), catalog, store);
        var acknowledged = new ConcurrentDictionary<string, TaskCompletionSource>(StringComparer.Ordinal);
        TaskCompletionSource Ack(string id) => acknowledged.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        uploader.Acknowledged += id => Ack(id).TrySetResult();
        using var loop = new UploadLoop(uploader, catalog, new UploadPolicyGate(_ => null, new NoNetwork(), new UploadRequests()), new UploadRequests(), TimeProvider.System)
        {
            IdleRecheck = TimeSpan.FromMilliseconds(100),
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var uploading = loop.RunAsync(stop.Token);

        for (var kill = 0; kill <= 3; kill++)
        {
            if (kill > 0)
            {
                await broker.StopAsync();
                await broker.StartAsync(token);
            }

            // Acknowledged only by a receiver that came back after the kill; before the fix it had exited.
            store.Save(TestClips.Clip($"after-kill-{kill}", frames: 4, frameBytes: 10_000));
            loop.Wake();
            await Ack($"after-kill-{kill}").Task.WaitAsync(Timeout, token);
            // Only the fourth clip (--count 4) may end it.
            if (kill < 3 && receive.IsCompleted)
            {
                Assert.Fail($"edgectl receive ended after kill {kill}:{Environment.NewLine}{run.Error}");
            }
        }

        Assert.Equal(0, await receive.WaitAsync(Timeout, token));
        await stop.CancelAsync();
        await uploading;
        var ids = run.Output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("clipId").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["after-kill-0", "after-kill-1", "after-kill-2", "after-kill-3"], ids);
        var errors = run.Error.ToString();
        Assert.True(errors.Split("edgectl receive: connected to").Length - 1 >= 4, errors);
    }

    [Fact]
    public async Task Receive_WithABadBrokerAddress_SaysWhatIsWrong()
    {
        using var dir = new TempDirectory();

        var (exit, _, error) = await Edgectl.RunAsync("receive", "--broker", "nowhere", "--out", dir.Path);

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains("--broker 'nowhere' is not host:port", error, StringComparison.Ordinal);
    }

    private sealed class NoNetwork : INetworkState
    {
        public bool IsUnmeteredUp => false;
    }
}

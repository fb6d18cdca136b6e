using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Fleet.Broker;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Uplink.Tests.Upload;

[Trait("Category", "Integration")]
public sealed class ClipUploadTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Upload_DeliversAnIntactClip_AndTheReceiverAcknowledgesIt()
    {
        await using var f = await UplinkFixture.StartAsync(chunkBytes: 64 * 1024);
        var received = new TaskCompletionSource<ReceivedClip>(TaskCreationOptions.RunContinuationsAsynchronously);
        var acknowledged = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.ClipReceived += c => received.TrySetResult(c);
        f.Uploader.Acknowledged += id => acknowledged.TrySetResult(id);
        var stored = f.Store.Save(TestClips.Clip("clip-a", frames: 30, frameBytes: 10_000));

        Assert.True(await f.Receiver.EnsureConnectedAsync(TestContext.Current.CancellationToken));
        Assert.True(await f.Uploader.EnsureConnectedAsync(TestContext.Current.CancellationToken));
        await f.Uploader.UploadAsync(stored, TestContext.Current.CancellationToken);

        var clip = await received.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(File.ReadAllBytes(f.Store.PathOf(stored)), File.ReadAllBytes(clip.Path));
        Assert.Equal(5, clip.Manifest.ChunkCount);
        Assert.Equal(Path.Combine(f.Dir.Combine("received"), "fleet1", "dev1", "1970-01-01", "clip-a.raw"), clip.Path);
        var indexed = Assert.Single(ReceivedClipIndex.ReadAll(f.Dir.Combine("received")));
        Assert.Equal(("fleet1", "dev1", "clip-a", stored.Sha256), (indexed.Fleet, indexed.Device, indexed.ClipId, indexed.Sha256));
        Assert.Equal(Path.Combine("fleet1", "dev1", "1970-01-01", "clip-a.raw"), indexed.RelativePath);
        Assert.Equal("clip-a", await acknowledged.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken));
        Assert.Equal(UploadState.Acknowledged, f.Catalog.FindClip("clip-a")!.UploadState);
    }

    [Fact]
    public async Task Upload_ResumesAfterTheLastChunkTheBrokerAcknowledged_AndResendsAreHarmless()
    {
        await using var f = await UplinkFixture.StartAsync(chunkBytes: 16 * 1024);
        var stored = f.Store.Save(TestClips.Clip("clip-b", frames: 10, frameBytes: 10_000));
        using var sniffer = await ChunkSniffer.StartAsync(f.Endpoint, f.Topics.ClipChunk("+"));
        var received = new TaskCompletionSource<ReceivedClip>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.ClipReceived += c => received.TrySetResult(c);
        await f.Receiver.EnsureConnectedAsync(TestContext.Current.CancellationToken);
        await f.Uploader.EnsureConnectedAsync(TestContext.Current.CancellationToken);

        // As after a restart that had sent chunks 0..2: only 3..6 go out.
        f.Catalog.UpdateUpload("clip-b", UploadState.Pending, 3);
        await f.Uploader.UploadAsync(f.Catalog.FindClip("clip-b")!, TestContext.Current.CancellationToken);
        await sniffer.WaitForAsync(4);
        Assert.Equal([3, 4, 5, 6], sniffer.Indices.Order());
        Assert.Equal(UploadState.Sent, f.Catalog.FindClip("clip-b")!.UploadState);
        Assert.False(received.Task.IsCompleted);

        // Everything again: the receiver fills the gap, the duplicates change nothing.
        f.Catalog.UpdateUpload("clip-b", UploadState.Pending, 0);
        await f.Uploader.UploadAsync(f.Catalog.FindClip("clip-b")!, TestContext.Current.CancellationToken);
        var clip = await received.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(stored.Sha256, ClipFileStore.HashFile(clip.Path));
    }

    [Fact]
    public async Task Upload_OfACorruptedFile_IsRefusedByTheReceiver_AndQueuedAgain()
    {
        await using var f = await UplinkFixture.StartAsync();
        var stored = f.Store.Save(TestClips.Clip("clip-c", frames: 5, frameBytes: 1000));
        var path = f.Store.PathOf(stored);
        var bytes = File.ReadAllBytes(path);
        bytes[10] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        var rejected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.Rejected += r => rejected.TrySetResult(r);
        await f.Receiver.EnsureConnectedAsync(TestContext.Current.CancellationToken);
        await f.Uploader.EnsureConnectedAsync(TestContext.Current.CancellationToken);

        await f.Uploader.UploadAsync(stored, TestContext.Current.CancellationToken);

        Assert.Contains("SHA-256", await rejected.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await WaitUntilAsync(() => f.Catalog.FindClip("clip-c") is { UploadState: UploadState.Pending, ChunksSent: 0 });
        Assert.Empty(Directory.EnumerateFiles(f.Dir.Combine("received"), "clip-c*", SearchOption.AllDirectories));
        Assert.Empty(ReceivedClipIndex.ReadAll(f.Dir.Combine("received")));
    }

    [Theory]
    [InlineData("manifest", "{not json", "not valid JSON")]
    [InlineData("manifest", """{"clipId":"x1","fleet":"fleet1","device":"dev1","fileName":"../../escape","sizeBytes":1,"sha256":"00","chunkBytes":1,"chunkCount":1}""", "not a plain file name")]
    [InlineData("manifest", """{"clipId":"other","fleet":"fleet1","device":"dev1","fileName":"a.mcap","sizeBytes":1,"sha256":"00","chunkBytes":1,"chunkCount":1}""", "not the topic's")]
    [InlineData("chunk", "abc", "no 'chunk-index' user property")]
    public async Task Receiver_MalformedMessages_AreRejectedWithTheReason(string kind, string payload, string reason)
    {
        await using var f = await UplinkFixture.StartAsync();
        var rejected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Receiver.Rejected += r => rejected.TrySetResult(r);
        await f.Receiver.EnsureConnectedAsync(TestContext.Current.CancellationToken);
        using var client = await ConnectAsync(f, "bad-publisher");

        await client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic($"dce/v1/fleet1/dev1/clips/x1/{kind}").WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            TestContext.Current.CancellationToken);

        var message = await rejected.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Contains("dce/v1/fleet1/dev1/clips/x1", message, StringComparison.Ordinal);
        Assert.False(File.Exists(f.Dir.Combine("escape")));
        Assert.True(f.Receiver.IsConnected);
    }

    [Fact]
    public async Task EmbeddedBroker_PortTaken_PicksAnotherAndSaysWhich()
    {
        await using var first = await EmbeddedBroker.StartAsync(0);
        int? taken = null;

        await using var second = await EmbeddedBroker.StartAsync(first.Port, p => taken = p);

        Assert.Equal(first.Port, taken);
        Assert.NotEqual(first.Port, second.Port);
    }

    private static async Task<IMqttClient> ConnectAsync(UplinkFixture f, string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer(f.Endpoint.Host, f.Endpoint.Port).WithClientId(clientId)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build(),
            TestContext.Current.CancellationToken);
        return client;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            // Polls a catalog that another thread updates; bounded by the timeout.
            await Task.Delay(20, timeout.Token);
        }
    }

}

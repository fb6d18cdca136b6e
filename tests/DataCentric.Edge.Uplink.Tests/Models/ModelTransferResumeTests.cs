using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Models;

namespace DataCentric.Edge.Uplink.Tests.Models;

/// <summary>A transfer cut short by a stop resumes where it was: the wire shows no chunk asked for twice.</summary>
[Trait("Category", "Integration")]
public sealed class ModelTransferResumeTests
{
    private const int Held = 40;

    [Fact]
    public async Task TransferStoppedMidway_ResumesAfterRestart_WithoutAskingForTheChunksItHeld()
    {
        await using var broker = await SubscriptionLogBroker.StartAsync();
        await using var rig = await ModelTransferRig.StartAsync(new BrokerEndpoint("127.0.0.1", broker.Port));
        var release = ModelTransferRig.Payload(ModelTransferRig.ResNet18, 7);
        var prefix = ModelTopics.ChunkPrefix(ModelTransferRig.Fleet, release.Sha256);
        var clientId = $"{ModelTransferRig.Fleet}.{ModelTransferRig.Device}";
        var count = ModelTopics.ChunkCount(release.SizeBytes);

        // Only the first chunks are on the broker yet: the device takes those and waits for the rest.
        await rig.PublishChunksAsync(ModelTransferRig.ResNet18, release.Sha256, only: i => i < Held);
        await rig.StartDeviceAsync();
        await rig.PublishRetainedAsync(ModelTopics.ReleaseOf(release), rig.Sign(release));
        await rig.AckAsync(a => a.Stage == ModelReleaseStage.Downloading, "the transfer starts");

        // With the rest missing on the broker, the ack says so once ChunkTimeout passes (on the device's clock).
        await Waits.WaitUntilAsync(
            () =>
            {
                rig.Time.Advance(rig.Options.ChunkTimeout);
                return rig.WireAcks.Any(a => a.BytesReceived == Held * (long)ModelTopics.ChunkBytes && a.Reasons.Any(r => r.Reason == ModelTransferReasons.ChunkMissing));
            },
            $"the first {Held} chunks are held and the ack says the next are missing");
        await rig.StopDeviceAsync();
        var firstRun = broker.ChunksAskedFor(clientId, prefix);
        var logAtStop = broker.Subscriptions.Count;
        Assert.Equal(Enumerable.Range(0, Held), firstRun.Take(Held));

        await rig.PublishChunksAsync(ModelTransferRig.ResNet18, release.Sha256, only: i => i >= Held);
        await rig.StartDeviceAsync();

        await rig.AckAsync(a => a.Stage == ModelReleaseStage.Active, "the resumed release is active");
        var secondRun = broker.ChunksAskedFor(clientId, prefix, from: logAtStop);
        Assert.DoesNotContain(secondRun, i => i < Held);
        Assert.Equal(Enumerable.Range(Held, count - Held), secondRun.Distinct().Order());
        Assert.Equal(secondRun.Count, secondRun.Distinct().Count());
        var (_, sha256, length, kept) = Assert.Single(rig.Activator.Activations);
        Assert.Equal((release.Sha256, release.SizeBytes), (sha256, length));
        Assert.Equal(await File.ReadAllBytesAsync(ModelTransferRig.ResNet18, TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(kept, TestContext.Current.CancellationToken));
    }
}

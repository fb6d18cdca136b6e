using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Uplink.Tests.Models;

/// <summary>Model releases end to end on mosquitto: signed release and chunks down, the device's acks up.</summary>
[Trait("Category", "Integration")]
public sealed class ModelTransferTests
{
    private static readonly string Yolo = ModelTransferRig.Model("test-yolov8.onnx");

    [Fact]
    public async Task Release_IsDownloaded_ByteIdentical_AndActivated_WithTheAckStagesInOrder()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));
        await rig.StartDeviceAsync();
        var release = ModelTransferRig.Payload(ModelTransferRig.ResNet18, 3, new TriggerSetTarget(TargetScope.Group, ModelTransferRig.Group));

        await rig.PushAsync(ModelTransferRig.ResNet18, release);

        var active = await rig.AckAsync(a => a.Stage == ModelReleaseStage.Active, "the release is active");
        var (activated, sha256, length, kept) = Assert.Single(rig.Activator.Activations);
        Assert.Equal((3, release.Sha256, release.SizeBytes), (activated.Version, sha256, length));
        Assert.Equal(await File.ReadAllBytesAsync(ModelTransferRig.ResNet18, TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(kept, TestContext.Current.CancellationToken));
        Assert.Equal((3, release.Sha256, 50), (active.ActiveVersion, active.ActiveSha256, active.Probation?.Frames));

        // Downloading (rising, up to the whole file), then probation, then active: never back.
        var stages = rig.WireAcks.Where(a => a.Version == 3).ToList();
        Assert.Equal(ModelReleaseStage.Downloading, stages[0].Stage);
        Assert.Equal([ModelReleaseStage.Downloading, ModelReleaseStage.Probation, ModelReleaseStage.Active], stages.Select(a => a.Stage).Distinct());
        Assert.Equal(stages.OrderBy(a => a.Stage).Select(a => a.Stage), stages.Select(a => a.Stage));
        var received = stages.Where(a => a.Stage == ModelReleaseStage.Downloading).Select(a => a.BytesReceived!.Value).ToList();
        Assert.Equal(received.Order(), received);
        Assert.True(received.Count >= 3, $"progress acks: {string.Join(", ", received)}");
        Assert.Equal(3, rig.Receiver!.Accepted.VersionOf(ModelTransferRig.Name));
        Assert.False(Directory.Exists(Path.Combine(rig.StateDirectory, ModelStaging.StagingFolder, release.Sha256)), "the staging folder is removed after activation");
    }

    [Fact]
    public async Task ReleasePushedWhileTheDeviceIsOffline_IsDeliveredWhenItConnects()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));
        var release = ModelTransferRig.Payload(Yolo, 2, new TriggerSetTarget(TargetScope.Fleet, null));
        await rig.PushAsync(Yolo, release);

        await rig.StartDeviceAsync();

        await rig.AckAsync(a => a.Stage == ModelReleaseStage.Active && a.Version == 2, "the release pushed before the device connected is active");
        Assert.Equal(release.Sha256, Assert.Single(rig.Activator.Activations).Sha256);
    }

    public static TheoryData<string, string> BadEnvelopes => new()
    {
        { "unsigned", "unsigned" },
        { "forged", "forged" },
        { "untrusted-key", "untrustedKey" },
        { "wrong-fleet", "wrongFleet" },
        { "other-device", "wrongTarget" },
        { "too-large-for-memory", "tooLargeForMemory" },
        { "other-model's-topic", "wrongTopic" },
    };

    [Theory]
    [MemberData(nameof(BadEnvelopes))]
    public async Task BadRelease_IsRefusedWithItsReasonInTheAck_BeforeAnyChunkIsFetched(string bad, string reason)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));
        await rig.StartDeviceAsync();
        using var stranger = FleetKeys.New();
        var release = ModelTransferRig.Payload(Yolo, 5);
        var topic = ModelTopics.DeviceRelease(ModelTransferRig.Fleet, ModelTransferRig.Device, ModelTransferRig.Name);
        var envelope = bad switch
        {
            "unsigned" => """{"keyId":"","payload":"e30=","signature":""}"""u8.ToArray(),
            "forged" => Forged(rig.Sign(release)),
            "untrusted-key" => rig.Sign(release, stranger),
            "wrong-fleet" => rig.Sign(release with { Fleet = "other-fleet" }),
            "other-device" => rig.Sign(release with { Target = new TriggerSetTarget(TargetScope.Device, "dev2") }),
            "too-large-for-memory" => rig.Sign(release with { SizeBytes = 1L << 40 }),
            _ => rig.Sign(release with { Name = "classifier" }),
        };
        await rig.PublishChunksAsync(Yolo, release.Sha256);

        await rig.PublishRetainedAsync(topic, envelope);

        var ack = await rig.AckAsync(a => a.Stage == ModelReleaseStage.Refused, $"the {bad} release is refused");
        Assert.Contains(ack.Reasons, r => r.Reason == reason && r.Message.Length > 0);
        Assert.Equal((ModelTransferRig.Name, 0), (ack.Name, ack.ActiveVersion));
        Assert.DoesNotContain(rig.WireAcks, a => a.Stage == ModelReleaseStage.Downloading);
        Assert.Empty(rig.Activator.Activations);
        Assert.Equal(0, rig.Receiver!.Accepted.VersionOf(ModelTransferRig.Name));
    }

    [Theory]
    [InlineData("truncated", "sizeMismatch")]
    [InlineData("hash-mismatch", "hashMismatch")]
    public async Task FileOnTheBroker_ThatIsNotTheSignedOne_IsRefused_AndTheRunningModelIsUntouched(string bad, string reason)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));
        await rig.StartDeviceAsync();
        var first = ModelTransferRig.Payload(Yolo, 1);
        await rig.PushAsync(Yolo, first);
        await rig.AckAsync(a => a.Stage == ModelReleaseStage.Active && a.Version == 1, "version 1 runs");

        // Version 2 is signed for ResNet18, but the chunks on the broker are cut short or have one byte changed.
        var release = ModelTransferRig.Payload(ModelTransferRig.ResNet18, 2);
        var damaged = rig.Dir.Combine("damaged.onnx");
        var bytes = await File.ReadAllBytesAsync(ModelTransferRig.ResNet18, TestContext.Current.CancellationToken);
        if (bad == "truncated")
        {
            bytes = bytes[..^1000];
        }
        else
        {
            bytes[bytes.Length / 2] ^= 0x5a;
        }

        await File.WriteAllBytesAsync(damaged, bytes, TestContext.Current.CancellationToken);
        await rig.PublishChunksAsync(damaged, release.Sha256);
        await rig.PublishRetainedAsync(ModelTopics.ReleaseOf(release), rig.Sign(release));

        var ack = await rig.AckAsync(a => a.Stage == ModelReleaseStage.Refused && a.Version == 2, $"the {bad} file is refused");
        Assert.Equal(reason, Assert.Single(ack.Reasons).Reason);
        Assert.Equal((1, first.Sha256), (ack.ActiveVersion, ack.ActiveSha256));
        Assert.Equal(1, Assert.Single(rig.Activator.Activations).Release.Version);
        Assert.Equal(1, rig.Receiver!.Accepted.VersionOf(ModelTransferRig.Name));
        Assert.False(Directory.Exists(Path.Combine(rig.StateDirectory, ModelStaging.StagingFolder, release.Sha256)), "the damaged download is removed");
    }

    [Fact]
    public async Task ReplayedOlderRelease_IsRefusedNotNewer_AndTheActiveOneRedeliveredIsNotDecidedAgain()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));
        var old = ModelTransferRig.Payload(ModelTransferRig.Model("obstacle-boxes.onnx"), 3);
        var oldEnvelope = rig.Sign(old);
        var current = ModelTransferRig.Payload(Yolo, 4);
        await rig.PushAsync(Yolo, current);
        await rig.StartDeviceAsync();
        await rig.AckAsync(a => a.Stage == ModelReleaseStage.Active && a.Version == 4, "version 4 runs");

        // A restart: the retained version 4 comes again and is not taken again.
        await rig.StopDeviceAsync();
        await rig.StartDeviceAsync();
        await rig.PublishChunksAsync(ModelTransferRig.Model("obstacle-boxes.onnx"), old.Sha256);
        await rig.PublishRetainedAsync(ModelTopics.FleetRelease(ModelTransferRig.Fleet, ModelTransferRig.Name), oldEnvelope);

        var refused = await rig.AckAsync(a => a.Stage == ModelReleaseStage.Refused && a.Version == 3, "the replayed version 3 is refused");
        Assert.Equal("notNewer", Assert.Single(refused.Reasons).Reason);
        Assert.Equal(4, refused.ActiveVersion);
        Assert.Single(rig.Activator.Activations);
        Assert.Single(rig.WireAcks, a => a.Stage == ModelReleaseStage.Active);
    }

    [Fact]
    public async Task NewerRelease_SupersedesOneStillDownloading_AndItsStagingIsRemoved()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));
        await rig.StartDeviceAsync();

        // Version 5's chunks after the first 3 are not on the broker: its transfer waits.
        var waiting = ModelTransferRig.Payload(ModelTransferRig.ResNet18, 5);
        await rig.PublishChunksAsync(ModelTransferRig.ResNet18, waiting.Sha256, only: i => i < 3);
        await rig.PublishRetainedAsync(ModelTopics.ReleaseOf(waiting), rig.Sign(waiting));
        await Waits.WaitUntilAsync(
            () =>
            {
                rig.Time.Advance(rig.Options.ChunkTimeout);
                return rig.WireAcks.Any(a => a.Version == 5 && a.BytesReceived == 3 * ModelTopics.ChunkBytes && a.Reasons.Any(r => r.Reason == ModelTransferReasons.ChunkMissing));
            },
            "version 5 holds its first 3 chunks and waits for the next");
        var staging = Path.Combine(rig.StateDirectory, ModelStaging.StagingFolder, waiting.Sha256);
        Assert.True(Directory.Exists(staging));

        var newer = ModelTransferRig.Payload(Yolo, 6, new TriggerSetTarget(TargetScope.Group, ModelTransferRig.Group));
        await rig.PushAsync(Yolo, newer);

        await rig.AckAsync(a => a.Stage == ModelReleaseStage.Active && a.Version == 6, "version 6 runs");
        var superseded = Assert.Single(rig.WireAcks, a => a.Stage == ModelReleaseStage.Refused);
        Assert.Equal((5, ModelTransferReasons.Superseded), (superseded.Version, Assert.Single(superseded.Reasons).Reason));
        Assert.False(Directory.Exists(staging), "the superseded transfer's staging folder is removed");
        Assert.Equal(6, Assert.Single(rig.Activator.Activations).Release.Version);
    }

    [Theory]
    [InlineData(ModelActivationFailure.OverMemoryLimit, ModelReleaseStage.Refused)]
    [InlineData(ModelActivationFailure.OverLatencyBudget, ModelReleaseStage.RolledBack)]
    public async Task ActivationThatFails_IsAckedWithTheActivatorsReason_AndNotRecordedAsAccepted(ModelActivationFailure failure, ModelReleaseStage stage)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));
        rig.Activator.Outcome = new ModelActivationOutcome(false, failure, "p95 61 ms over the 6 ms budget", new ModelProbationReport(50, 0, 55, 61, 1, null));
        await rig.StartDeviceAsync();

        await rig.PushAsync(Yolo, ModelTransferRig.Payload(Yolo, 2));

        var ack = await rig.AckAsync(a => a.Stage == stage, $"the release is {stage}");
        Assert.Equal((ModelTransferReasons.Of(failure), "p95 61 ms over the 6 ms budget"), (Assert.Single(ack.Reasons).Reason, ack.Reasons[0].Message));
        Assert.Equal((0, 61.0), (ack.ActiveVersion, ack.Probation!.LatencyP95Ms));
        Assert.Equal(0, rig.Receiver!.Accepted.VersionOf(ModelTransferRig.Name));
    }

    [Fact]
    public async Task AgentWithoutAnActivator_RefusesEveryRelease_SayingSo_AndFetchesNothing()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));
        rig.ActivatorForDevice = null;
        await rig.StartDeviceAsync();

        await rig.PushAsync(Yolo, ModelTransferRig.Payload(Yolo, 2));

        var ack = await rig.AckAsync(a => a.Stage == ModelReleaseStage.Refused, "the release is refused");
        Assert.Equal(ModelTransferReasons.NoActivator, Assert.Single(ack.Reasons).Reason);
        Assert.False(Directory.Exists(Path.Combine(rig.StateDirectory, ModelStaging.StagingFolder)));
    }

    private static BrokerEndpoint Local(MosquittoBroker broker) => new("127.0.0.1", broker.Port);

    private static byte[] Forged(byte[] envelope)
    {
        var text = System.Text.Encoding.UTF8.GetString(envelope);
        var envelopeJson = System.Text.Json.JsonSerializer.Deserialize(text, UplinkJson.TypeInfo<TriggerSetEnvelope>())!;
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(envelopeJson.Payload)).Replace("\"version\":5", "\"version\":50", StringComparison.Ordinal);
        return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            envelopeJson with { Payload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(payload)) }, UplinkJson.TypeInfo<TriggerSetEnvelope>());
    }
}

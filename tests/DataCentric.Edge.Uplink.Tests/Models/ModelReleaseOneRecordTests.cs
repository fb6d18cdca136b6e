using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Uplink.Tests.Models;

/// <summary>
/// What runs is the activator's record alone: acks name what the activator says, a start-up rollback
/// is reported until the broker has it, an old data directory's own record of what runs is retired,
/// and a release refused or superseded is not taken again after a restart. On mosquitto.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelReleaseOneRecordTests
{
    private static readonly string Yolo = ModelTransferRig.Model("test-yolov8.onnx");
    private static readonly string Boxes = ModelTransferRig.Model("obstacle-boxes.onnx");

    [Fact]
    public async Task ReleaseTheActivatorRolledBackAtStart_IsAckedRolledBack_WithWhatTheActivatorRuns_UntilTheBrokerHasIt()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));
        await rig.StartDeviceAsync();
        var release = ModelTransferRig.Payload(Yolo, 1);
        await rig.PushAsync(Yolo, release);
        await rig.AckAsync(a => a.Stage == ModelReleaseStage.Active && a.ActiveVersion == 1, "version 1 runs");
        await rig.StopDeviceAsync();

        // The next start's activator took version 1 out of service (a crash loop): the configured file runs.
        rig.Activator.Runs(ModelTransferRig.Name, null);
        var rollback = new ModelStartupRollback(
            ModelTransferRig.Name, 1, release.Sha256, new ModelActivationOutcome(false, ModelActivationFailure.CrashLoop, "the agent started 3 times since version 1", null), 0, null);
        rig.Activator.StartupRollbacks.Add(rollback);
        await rig.StartDeviceAsync();

        var ack = await rig.AckAsync(a => a.Stage == ModelReleaseStage.RolledBack, "the start-up rollback is acked");
        Assert.Equal((1, 0, (string?)null), (ack.Version, ack.ActiveVersion, ack.ActiveSha256));
        Assert.Equal(("crashLoop", "the agent started 3 times since version 1"), (Assert.Single(ack.Reasons).Reason, ack.Reasons[0].Message));
        await Waits.WaitUntilAsync(() => rig.Activator.UnreportedStartupRollbacks().Count == 0, "the activator is told the rollback's ack is on the broker");

        // Every later ack names what the activator runs, not what the transfer last activated.
        await rig.PublishRetainedAsync(ModelTopics.FleetRelease(ModelTransferRig.Fleet, ModelTransferRig.Name), rig.Sign(ModelTransferRig.Payload(Boxes, 2) with { Fleet = "other-fleet" }));
        var refused = await rig.AckAsync(a => a.Stage == ModelReleaseStage.Refused && a.Version == 2, "the wrong-fleet release is refused");
        Assert.Equal((0, (string?)null), (refused.ActiveVersion, refused.ActiveSha256));
    }

    [Fact]
    public async Task DataDirectoryWithTheOldRecordOfWhatRuns_StartsCleanly_AcksFollowTheActivator_AndTheOldFileIsGone()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));

        // As an earlier agent left it: it says version 3 runs, but the activator rolled back to version 2.
        var three = ModelTransferRig.Payload(Yolo, 3);
        var two = ModelTransferRig.Payload(Boxes, 2);
        var oldFile = Path.Combine(Directory.CreateDirectory(rig.StateDirectory).FullName, "active-models.tsv");
        await File.WriteAllTextAsync(oldFile, $"3\t{three.Sha256}\t2\t{two.Sha256}\t{ModelTransferRig.Name}\n7\tnot a line\n", TestContext.Current.CancellationToken);
        rig.Activator.Runs(ModelTransferRig.Name, new RunningRelease(2, two.Sha256));

        await rig.StartDeviceAsync();

        Assert.False(File.Exists(oldFile), "the old record is removed");
        Assert.Contains(
            $"{oldFile}:1: the old record said model {ModelTransferRig.Name} runs version 3 ({three.Sha256}), but the activator's state says version 2 ({two.Sha256})",
            rig.Log.Text,
            StringComparison.Ordinal);
        Assert.Contains($"{oldFile}:2: not '<version><tab>", rig.Log.Text, StringComparison.Ordinal);
        await rig.PublishRetainedAsync(ModelTopics.FleetRelease(ModelTransferRig.Fleet, ModelTransferRig.Name), rig.Sign(three with { Fleet = "other-fleet" }));
        var refused = await rig.AckAsync(a => a.Stage == ModelReleaseStage.Refused, "the wrong-fleet release is refused");
        Assert.Equal((2, two.Sha256), (refused.ActiveVersion, refused.ActiveSha256));
    }

    [Fact]
    public async Task ReleaseSupersededByOneThatWasThenRolledBack_IsNotDownloadedAfterARestart()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));
        await rig.StartDeviceAsync();

        // Version 5's chunks after the first 3 are not on the broker yet: its transfer waits, and version 6 supersedes it.
        var five = ModelTransferRig.Payload(ModelTransferRig.ResNet18, 5);
        await rig.PublishChunksAsync(ModelTransferRig.ResNet18, five.Sha256, only: i => i < 3);
        await rig.PublishRetainedAsync(ModelTopics.ReleaseOf(five), rig.Sign(five));
        await rig.AckAsync(a => a.Version == 5 && a.Stage == ModelReleaseStage.Downloading, "version 5 downloads");
        rig.Activator.Outcome = new ModelActivationOutcome(false, ModelActivationFailure.OverLatencyBudget, "p95 61 ms over the 6 ms budget", null);
        await rig.PushAsync(Yolo, ModelTransferRig.Payload(Yolo, 6, new TriggerSetTarget(TargetScope.Group, ModelTransferRig.Group)));
        await rig.AckAsync(a => a.Version == 6 && a.Stage == ModelReleaseStage.RolledBack, "version 6 is rolled back");
        Assert.Single(rig.WireAcks, a => a.Version == 5 && a.Stage == ModelReleaseStage.Refused);

        // Both stay retained; after a restart version 5 (now complete on the broker) must stay superseded.
        await rig.StopDeviceAsync();
        await rig.PublishChunksAsync(ModelTransferRig.ResNet18, five.Sha256, only: i => i >= 3);
        var seenBefore = rig.WireAcks.Count;
        rig.Activator.Outcome = new ModelActivationOutcome(true, null, "swapped", null);
        await rig.StartDeviceAsync();
        await rig.PushAsync(Boxes, ModelTransferRig.Payload(Boxes, 7));

        await rig.AckAsync(a => a.Version == 7 && a.Stage == ModelReleaseStage.Active, "version 7 runs");
        Assert.DoesNotContain(rig.WireAcks.Skip(seenBefore), a => a.Version == 5);
        Assert.Equal([6, 7], rig.Activator.Activations.Select(a => a.Release.Version));
    }

    [Fact]
    public async Task ManifestRefusedBefore_IsNotAckedAgainAfterARestart_UnlessTheNewConfigurationChangesTheVerdict()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));
        rig.ActivatorForDevice = null;
        await rig.StartDeviceAsync();
        await rig.PushAsync(Yolo, ModelTransferRig.Payload(Yolo, 2));
        await rig.PublishRetainedAsync(
            ModelTopics.FleetRelease(ModelTransferRig.Fleet, ModelTransferRig.Name), rig.Sign(ModelTransferRig.Payload(Boxes, 3) with { Fleet = "other-fleet" }));
        await rig.AckAsync(a => a.Version == 2 && a.Stage == ModelReleaseStage.Refused, "version 2 is refused: no activator");
        await rig.AckAsync(a => a.Version == 3 && a.Stage == ModelReleaseStage.Refused, "version 3 is refused: wrong fleet, no activator");

        // Restarted as it was: both come back, are checked again and refused as before, silently.
        await rig.StopDeviceAsync();
        await rig.StartDeviceAsync();
        await Waits.WaitUntilAsync(
            () => rig.Log.Text.Contains("refused again as before (noActivator)", StringComparison.Ordinal)
                && rig.Log.Text.Contains("refused again as before (noActivator,wrongFleet)", StringComparison.Ordinal),
            "both releases are seen again and refused as before");
        Assert.Single(rig.WireAcks, a => a.Version == 2);
        Assert.Single(rig.WireAcks, a => a.Version == 3);

        // Restarted with an activator: version 2 passes now; version 3 is refused for the wrong fleet alone, which it says.
        await rig.StopDeviceAsync();
        rig.ActivatorForDevice = rig.Activator;
        await rig.StartDeviceAsync();

        await rig.AckAsync(a => a.Version == 2 && a.Stage == ModelReleaseStage.Active, "version 2 runs");
        var refused = await rig.AckAsync(a => a.Version == 3 && a.Reasons.Count == 1, "version 3 is refused for the wrong fleet alone");
        Assert.Equal("wrongFleet", refused.Reasons[0].Reason);
        Assert.Equal(2, Assert.Single(rig.Activator.Activations).Release.Version);
    }

    [Fact]
    public async Task ReleaseThatRuns_ArrivingAgainByAWiderTarget_IsNotRefused_AndItsActiveAckStands()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var rig = await ModelTransferRig.StartAsync(Local(broker));
        await rig.StartDeviceAsync();

        // A rollout's canary stage (this device), then its fleet stage: the same signed release, another target.
        var canary = ModelTransferRig.Payload(Yolo, 2);
        await rig.PushAsync(Yolo, canary);
        await rig.AckAsync(a => a.Version == 2 && a.Stage == ModelReleaseStage.Active, "the canary runs version 2");
        await rig.PublishRetainedAsync(
            ModelTopics.FleetRelease(ModelTransferRig.Fleet, ModelTransferRig.Name), rig.Sign(canary with { Target = new TriggerSetTarget(TargetScope.Fleet, null) }));

        await Waits.WaitUntilAsync(() => rig.Log.Text.Contains("is the release that runs: nothing to do", StringComparison.Ordinal), "the fleet stage's release is seen");
        Assert.DoesNotContain(rig.WireAcks, a => a.Stage == ModelReleaseStage.Refused);
        Assert.Equal(ModelReleaseStage.Active, rig.WireAcks.Last(a => a.Version == 2).Stage);
        Assert.Single(rig.Activator.Activations);
    }

    private static BrokerEndpoint Local(MosquittoBroker broker) => new("127.0.0.1", broker.Port);
}

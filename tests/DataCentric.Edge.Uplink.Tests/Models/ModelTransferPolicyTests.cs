using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Models;

namespace DataCentric.Edge.Uplink.Tests.Models;

/// <summary>The device's download budget and network policy hold a transfer, say why in the ack, and let it go on when allowed.</summary>
[Trait("Category", "Integration")]
public sealed class ModelTransferPolicyTests
{
    [Fact]
    public async Task TransferOverTheDaysBudget_Waits_SayingWhy_AndFinishesTheNextDay_EvenAcrossARestart()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        const long Budget = 20L * ModelTopics.ChunkBytes;
        await using var rig = await ModelTransferRig.StartAsync(new BrokerEndpoint("127.0.0.1", broker.Port), new ModelReleaseOptions { DownloadBudgetBytesPerDay = Budget });
        var release = ModelTransferRig.Payload(ModelTransferRig.ResNet18, 2);
        await rig.PushAsync(ModelTransferRig.ResNet18, release);
        await rig.StartDeviceAsync();

        var held = await rig.AckAsync(a => a.Reasons.Any(r => r.Reason == ModelTransferReasons.OverDownloadBudget), "the transfer waits for the budget");
        Assert.Equal((ModelReleaseStage.Downloading, Budget), (held.Stage, held.BytesReceived));
        Assert.Contains("2026-12-07T00:00:00Z", held.Reasons[0].Message, StringComparison.Ordinal);

        // The day's count survives a restart: still held.
        await rig.StopDeviceAsync();
        rig.WireAcks.Clear();
        await rig.StartDeviceAsync();
        await rig.AckAsync(a => a.Reasons.Any(r => r.Reason == ModelTransferReasons.OverDownloadBudget) && a.BytesReceived == Budget, "still held after the restart");
        Assert.Empty(rig.Activator.Activations);

        // Each new UTC day renews the budget; the transfer goes on and finishes.
        for (var day = 0; rig.Activator.Activations.IsEmpty && day < 30; day++)
        {
            var before = rig.WireAcks.Count;
            rig.Time.Advance(TimeSpan.FromDays(1));
            await Waits.WaitUntilAsync(() => !rig.Activator.Activations.IsEmpty || rig.WireAcks.Skip(before).Any(a => a.Reasons.Any(r => r.Reason == ModelTransferReasons.OverDownloadBudget)), "the next day's share is fetched");
        }

        await rig.AckAsync(a => a.Stage == ModelReleaseStage.Active, "the release is active");
        Assert.Equal(release.Sha256, Assert.Single(rig.Activator.Activations).Sha256);
    }

    [Fact]
    public async Task TransferOnADisallowedNetwork_Waits_SayingWhy_AndGoesOnOnWifi()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var root = new FakeSystemRoot();
        root.DefaultRouteThrough("wwan0", wireless: false);
        var options = new ModelReleaseOptions { WifiOnly = true };
        await using var rig = await ModelTransferRig.StartAsync(new BrokerEndpoint("127.0.0.1", broker.Port), options, new ModelNetworkPolicy(true, [], root.Path));
        var yolo = ModelTransferRig.Model("test-yolov8.onnx");
        var release = ModelTransferRig.Payload(yolo, 2);
        await rig.PushAsync(yolo, release);
        await rig.StartDeviceAsync();

        var held = await rig.AckAsync(a => a.Reasons.Any(r => r.Reason == ModelTransferReasons.NetworkNotAllowed), "the transfer waits for Wi-Fi");
        Assert.Equal(0, held.BytesReceived);
        Assert.Contains("wwan0, which is not wireless", held.Reasons[0].Message, StringComparison.Ordinal);

        root.DefaultRouteThrough("wlan0", wireless: true);
        rig.Time.Advance(options.NetworkRecheckInterval);

        await rig.AckAsync(a => a.Stage == ModelReleaseStage.Active, "the release is active once on Wi-Fi");
        Assert.Single(rig.Activator.Activations);
    }
}

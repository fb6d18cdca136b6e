using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.RemoteConfig;
using MQTTnet.Protocol;
using MQTTnet;
using static DataCentric.Edge.Uplink.Tests.RemoteConfig.TriggerSets;

namespace DataCentric.Edge.Uplink.Tests.RemoteConfig;

/// <summary>A push end to end on mosquitto with TLS and the shipped ACL: retained set down, retained ack up.</summary>
[Trait("Category", "Integration")]
public sealed class RemoteTriggerSetsOverBrokerTests
{
    [Fact]
    public async Task OperatorPushesASignedSet_TheDeviceAppliesIt_AndItsAckReachesTheOperator()
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var dir = new TempDirectory();
        using var fleetKey = FleetKeys.New();
        var active = new ActiveTriggerSet(Compiled(1));
        var topics = new FleetTopics("fleet1", "dev-a");
        await using var connection = new DeviceConnection(broker.OptionsFor("dev-a"), broker.Endpoint, topics);
        var device = new TriggerSetDevice("fleet1", "dev-a", ["day-shift"], new Dictionary<string, ECDsa> { [FleetKeys.KeyIdOf(fleetKey)] = fleetKey }, Signals, 64 * 1024);
        using var remote = new RemoteTriggerSets(connection, active, device, dir.Combine("sets"), TimeProvider.System);
        var applied = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var following = active.Subscribe(change =>
        {
            if (change.Kind == TriggerSetChangeKind.Activated)
            {
                applied.TrySetResult(change.Set.Version);
            }
        });
        using var operatorClient = await broker.ConnectAsync("dce-operator", TestContext.Current.CancellationToken);
        var acks = new TaskCompletionSource<TriggerSetAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        operatorClient.ApplicationMessageReceivedAsync += e =>
        {
            acks.TrySetResult(JsonSerializer.Deserialize<TriggerSetAck>(e.ApplicationMessage.Payload.FirstSpan, UplinkJson.Options)!);
            return Task.CompletedTask;
        };
        await operatorClient.SubscribeAsync(topics.TriggerSetAck, MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);

        // Pushed while the device is offline: the set is retained, the device gets it when it connects.
        var push = await operatorClient.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(FleetTopics.GroupTriggerSet("fleet1", "day-shift"))
                .WithPayload(Signed(Payload(4, new TriggerSetTarget(TargetScope.Group, "day-shift")), fleetKey))
                .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            TestContext.Current.CancellationToken);
        Assert.True(push.IsSuccess, push.ReasonCode.ToString());
        Assert.True(await connection.EnsureConnectedAsync(TestContext.Current.CancellationToken));

        Assert.Equal(4, await applied.Task.WaitAsync(Waits.Timeout, TestContext.Current.CancellationToken));
        var ack = await acks.Task.WaitAsync(Waits.Timeout, TestContext.Current.CancellationToken);
        Assert.Equal((TriggerSetDecision.Accepted, 4, "dev-a"), (ack.Decision, ack.ActiveVersion, ack.Device));
    }
}

using System.Buffers;
using System.Text;
using DataCentric.Edge.Fleet.Broker;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Fleet.Tests.Broker;

/// <summary>
/// The demo's broker serves dce-fleet, whose receiver and tracker always subscribe as <c>$share/{group}/...</c>:
/// such a filter is granted and delivers as the plain one (the demo has one subscriber per group).
/// </summary>
[Trait("Category", "Integration")]
public sealed class EmbeddedBrokerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SharedSubscription_IsGranted_AndReceivesWhatThePlainFilterMatches()
    {
        await using var broker = await EmbeddedBroker.StartAsync(0);
        var subscribed = new TaskCompletionSource<(string ClientId, string Filter)>(TaskCreationOptions.RunContinuationsAsynchronously);
        broker.ClientSubscribed += (client, filter) => subscribed.TrySetResult((client, filter));
        using var subscriber = await ConnectAsync(broker, "receiver");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult($"{e.ApplicationMessage.Topic}={Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray())}");
            return Task.CompletedTask;
        };

        var granted = await subscriber.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter("$share/dce-fleet/dce/v1/+/+/clips/+/chunk", MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        using var publisher = await ConnectAsync(broker, "device");
        await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("dce/v1/f/d/clips/c1/chunk").WithPayload("one").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, granted.Items.Single().ResultCode);
        Assert.Equal("dce/v1/f/d/clips/c1/chunk=one", await received.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(("receiver", "dce/v1/+/+/clips/+/chunk"), await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Theory]
    [InlineData("$share/g/a/b", "a/b")]
    [InlineData("$share/g/#", "#")]
    [InlineData("a/b", "a/b")]
    [InlineData("$share/g", "$share/g")] // no filter after the group: left for the broker to refuse
    [InlineData("$SYS/x", "$SYS/x")]
    public void WithoutShare_RemovesOnlyTheSharePrefix(string filter, string expected) =>
        Assert.Equal(expected, EmbeddedBroker.WithoutShare(filter));

    private static async Task<IMqttClient> ConnectAsync(EmbeddedBroker broker, string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId(clientId).WithProtocolVersion(MqttProtocolVersion.V500).Build(), Ct);
        return client;
    }
}

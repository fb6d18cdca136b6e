using System.Security.Authentication;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Uplink.Tests.Broker;

/// <summary>The shipped ACL on mosquitto with TLS client certificates: a device reaches only its own topics.</summary>
[Trait("Category", "Integration")]
public sealed class BrokerSecurityTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Device_PublishesUnderItsOwnTopics_AndTheOperatorSeesIt()
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var operatorClient = await broker.ConnectAsync("dce-operator", TestContext.Current.CancellationToken);
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        operatorClient.ApplicationMessageReceivedAsync += e =>
        {
            seen.TrySetResult(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        await operatorClient.SubscribeAsync("dce/v1/fleet1/+/events", MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        using var deviceA = await broker.ConnectAsync("dev-a", TestContext.Current.CancellationToken);

        var result = await PublishAsync(deviceA, new FleetTopics("fleet1", "dev-a").Events);

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        Assert.Equal("dce/v1/fleet1/dev-a/events", await seen.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DeviceTriggerCounters_AreWrittenByTheDevice_AndReadByReceiversAndOperators()
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var topic = new FleetTopics("fleet1", "dev-a").TriggerCounters;
        var (receiver, receiverSaw) = await ListenAsync(broker, "dce-receiver", FleetTopics.AllTriggerCounters("fleet1"));
        var (operatorClient, operatorSaw) = await ListenAsync(broker, "dce-operator", FleetTopics.AllTriggerCounters("fleet1"));
        using var deviceA = await broker.ConnectAsync("dev-a", TestContext.Current.CancellationToken);
        try
        {
            var result = await PublishAsync(deviceA, topic);

            Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
            Assert.Equal(topic, await receiverSaw.WaitAsync(Timeout, TestContext.Current.CancellationToken));
            Assert.Equal(topic, await operatorSaw.WaitAsync(Timeout, TestContext.Current.CancellationToken));
        }
        finally
        {
            receiver.Dispose();
            operatorClient.Dispose();
        }
    }

    [Theory]
    [InlineData("status")]
    [InlineData("events")]
    [InlineData("config/ack")]
    public async Task DeviceStatusEventsAndTriggerSetAcks_ReachTheReceiver(string leaf)
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var (receiver, receiverSaw) = await ListenAsync(broker, "dce-receiver", $"dce/v1/fleet1/+/{leaf}");
        using var deviceA = await broker.ConnectAsync("dev-a", TestContext.Current.CancellationToken);
        try
        {
            var result = await PublishAsync(deviceA, $"dce/v1/fleet1/dev-a/{leaf}");

            Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
            Assert.Equal($"dce/v1/fleet1/dev-a/{leaf}", await receiverSaw.WaitAsync(Timeout, TestContext.Current.CancellationToken));
        }
        finally
        {
            receiver.Dispose();
        }
    }

    [Theory]
    [InlineData("dce/v1/fleet1/dev-a/status")]
    [InlineData("dce/v1/fleet1/dev-a/events")]
    [InlineData("dce/v1/fleet1/dev-a/clips/c1/manifest")]
    [InlineData("dce/v1/fleet1/dev-a/clips/c1/chunk")]
    [InlineData("dce/v1/fleet1/dev-a/config/triggers")]
    [InlineData("dce/v1/fleet1/_fleet/config/triggers")]
    [InlineData("dce/v1/fleet1/dev-a/commands/request")]
    public async Task Receiver_WritesOnlyAcks(string topic)
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var receiver = await broker.ConnectAsync("dce-receiver", TestContext.Current.CancellationToken);

        var denied = await PublishAsync(receiver, topic);
        var ack = await PublishAsync(receiver, "dce/v1/fleet1/dev-a/clips/c1/ack");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, denied.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, ack.ReasonCode);
    }

    [Theory]
    [InlineData("dce/v1/fleet1/dev-b/status")]
    [InlineData("dce/v1/fleet1/dev-b/triggers/counters")]
    [InlineData("dce/v1/fleet1/dev-b/clips/c1/chunk")]
    [InlineData("dce/v1/fleet1/dev-b/clips/c1/ack")]
    [InlineData("dce/v1/fleet1/dev-b/config/triggers")]
    [InlineData("dce/v1/fleet1/_fleet/config/triggers")]
    [InlineData("dce/v1/fleet1/dev-a/config/triggers")]
    [InlineData("dce/v1/fleet1/dev-b/commands/request")]
    public async Task DeviceA_PublishingWhereItMayNot_IsDeniedByTheBroker(string topic)
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var deviceA = await broker.ConnectAsync("dev-a", TestContext.Current.CancellationToken);

        var result = await PublishAsync(deviceA, topic);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        Assert.True(deviceA.IsConnected);
    }

    /// <summary>
    /// mosquitto 2.0.11 grants the SUBACK for any filter and enforces read access per message: the
    /// denial is that nothing outside the device's own topics is ever delivered, retained or live.
    /// </summary>
    [Theory]
    [InlineData("#")]
    [InlineData("dce/v1/#")]
    [InlineData("dce/v1/fleet1/+/#")]
    [InlineData("dce/v1/fleet1/dev-b/#")]
    public async Task DeviceA_SubscribingBeyondItsTopics_NeverReceivesDeviceBMessages(string filter)
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var deviceB = await broker.ConnectAsync("dev-b", TestContext.Current.CancellationToken);
        using var operatorClient = await broker.ConnectAsync("dce-operator", TestContext.Current.CancellationToken);
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, (await PublishAsync(deviceB, "dce/v1/fleet1/dev-b/status", retain: true)).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, (await PublishAsync(operatorClient, "dce/v1/fleet1/dev-b/config/triggers", retain: true)).ReasonCode);
        using var deviceA = await broker.ConnectAsync("dev-a", TestContext.Current.CancellationToken);
        var received = new List<string>();
        var ownRequest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        deviceA.ApplicationMessageReceivedAsync += e =>
        {
            lock (received)
            {
                received.Add(e.ApplicationMessage.Topic);
            }

            if (e.ApplicationMessage.Topic == "dce/v1/fleet1/dev-a/commands/request")
            {
                ownRequest.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await deviceA.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        await deviceA.SubscribeAsync("dce/v1/fleet1/dev-a/commands/request", MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);

        await PublishAsync(deviceB, "dce/v1/fleet1/dev-b/events");
        await PublishAsync(operatorClient, "dce/v1/fleet1/dev-b/commands/request");

        // One session's deliveries keep their order: once A has its own request, anything of B's would be in.
        await PublishAsync(operatorClient, "dce/v1/fleet1/dev-a/commands/request");
        await ownRequest.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        lock (received)
        {
            Assert.All(received, topic => Assert.StartsWith("dce/v1/fleet1/dev-a/", topic, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Client_WithACertificateFromAnotherCa_CannotConnect()
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var (certificate, key) = TestPki.SelfSigned(broker.Dir.Path, "dev-a");
        var options = broker.OptionsFor("dev-a");
        options.ClientCertificatePath = certificate;
        options.ClientKeyPath = key;
        using var client = new MqttClientFactory().CreateMqttClient();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(
            MqttClientOptionsFactory.Create(options, broker.Endpoint, "intruder").Build(), TestContext.Current.CancellationToken));

        Assert.True(error is MqttCommunicationException or AuthenticationException or IOException, error.ToString());
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Device_RefusesABrokerItsCaDidNotSign()
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var otherPki = new TestPki(broker.Dir.Combine("other-pki"));
        var options = broker.OptionsFor("dev-a");
        options.CaCertificatePath = otherPki.CaCertificatePath;
        using var client = new MqttClientFactory().CreateMqttClient();

        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(
            MqttClientOptionsFactory.Create(options, broker.Endpoint, "dev-a").Build(), TestContext.Current.CancellationToken));

        Assert.False(client.IsConnected);
    }

    /// <summary>A client of <paramref name="identity"/> subscribed to <paramref name="filter"/>, and the topic of the first message it gets.</summary>
    private static async Task<(IMqttClient Client, Task<string> FirstTopic)> ListenAsync(SecureBroker broker, string identity, string filter)
    {
        var client = await broker.ConnectAsync(identity, TestContext.Current.CancellationToken);
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            seen.TrySetResult(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        await client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        return (client, seen.Task);
    }

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, bool retain = false) =>
        client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes("{}")).WithRetainFlag(retain)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            TestContext.Current.CancellationToken);
}

using System.Security.Authentication;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Connection;
using MQTTnet;
using MQTTnet.Exceptions;

namespace DataCentric.Edge.Uplink.Tests.Broker;

/// <summary>
/// The shipped broker config against session takeover: on mosquitto a second connection with a
/// client id already in use closes the first. Device B presenting device A's client id must not push
/// A off nor get A's session; the fleet tools, several per identity, must still coexist.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SessionTakeoverTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeviceB_UsingDeviceAsClientId_NeitherPushesAOff_NorGetsAsSession()
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: Token);
        await using var deviceA = new DeviceConnection(broker.OptionsFor("dev-a"), broker.Endpoint, new FleetTopics("f1", "dev-a"));
        Assert.True(await deviceA.EnsureConnectedAsync(Token));

        using var deviceB = new MqttClientFactory().CreateMqttClient();
        var result = await deviceB.ConnectAsync(PersistentSession(broker.OptionsFor("dev-b"), broker.Endpoint, deviceA.ClientId), Token);

        // mosquitto closes a taken-over connection before it answers the newcomer, so a round trip
        // on A after B's CONNACK would fail had B displaced it.
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        Assert.False(result.IsSessionPresent);
        await deviceA.PingAsync(Token);
        Assert.True(deviceA.IsConnected);
        Assert.True(deviceB.IsConnected);
    }

    [Fact]
    public async Task WithoutTheClientIdBinding_DeviceBTakesOverDeviceAsSession()
    {
        // The control: the same attack on a broker without use_username_as_clientid succeeds,
        // so the test above fails if the shipped line goes.
        await using var broker = await SecureBroker.StartAsync(new MosquittoOptions { WithoutClientIdBinding = true }, Token);
        await using var deviceA = new DeviceConnection(broker.OptionsFor("dev-a"), broker.Endpoint, new FleetTopics("f1", "dev-a"));
        Assert.True(await deviceA.EnsureConnectedAsync(Token));

        using var deviceB = new MqttClientFactory().CreateMqttClient();
        var result = await deviceB.ConnectAsync(PersistentSession(broker.OptionsFor("dev-b"), broker.Endpoint, deviceA.ClientId), Token);

        Assert.True(result.IsSessionPresent);
        await Waits.WaitUntilAsync(() => !deviceA.IsConnected, "device A was pushed off the broker");
    }

    [Fact]
    public async Task DeviceA_Reconnecting_FindsItsPersistentSession()
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: Token);
        var options = broker.OptionsFor("dev-a");
        await using (var first = new DeviceConnection(options, broker.Endpoint, new FleetTopics("f1", "dev-a")))
        {
            Assert.True(await first.EnsureConnectedAsync(Token));
        }

        await using var again = new DeviceConnection(options, broker.Endpoint, new FleetTopics("f1", "dev-a"));
        var sessionPresent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        again.Connected += present =>
        {
            sessionPresent.TrySetResult(present);
            return Task.CompletedTask;
        };

        Assert.True(await again.EnsureConnectedAsync(Token));

        // Acks and commands queued while a device is away live in this session (CONTRACT §Sessions).
        Assert.True(await sessionPresent.Task.WaitAsync(Waits.Timeout, Token));
    }

    [Fact]
    public async Task DeviceCertificate_IsRefusedOnTheToolsListener_SoItCannotClaimAToolsClientId()
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: Token);
        using var receiver = await broker.ConnectAsync("dce-receiver", "dce-fleet-receiver", Token);
        using var intruder = new MqttClientFactory().CreateMqttClient();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => intruder.ConnectAsync(
            MqttClientOptionsFactory.Create(broker.OptionsFor("dev-b"), broker.ToolsEndpoint, "dce-fleet-receiver").Build(), Token));

        Assert.True(error is MqttCommunicationException or AuthenticationException or IOException, error.ToString());
        await receiver.PingAsync(Token);
        Assert.True(receiver.IsConnected);
    }

    [Fact]
    public async Task FleetTools_SharingAnIdentity_KeepTheirOwnClientIds_AndAllStayConnected()
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: Token);
        using var receiver = await broker.ConnectAsync("dce-receiver", "dce-fleet-receiver", Token);
        using var tracker = await broker.ConnectAsync("dce-receiver", "dce-fleet-tracker", Token);
        using var secondReceiver = await broker.ConnectAsync("dce-receiver", "dce-receiver-host2", Token);
        using var operatorClient = await broker.ConnectAsync("dce-operator", "edgectl-alice", Token);

        // Had one id replaced another (as on the device listener), the earlier clients' pings would fail.
        foreach (var client in new[] { receiver, tracker, secondReceiver, operatorClient })
        {
            await client.PingAsync(Token);
            Assert.True(client.IsConnected);
        }
    }

    private static MqttClientOptions PersistentSession(UplinkOptions options, BrokerEndpoint endpoint, string clientId) =>
        MqttClientOptionsFactory.Create(options, endpoint, clientId).WithCleanStart(false).WithSessionExpiryInterval(3600).Build();
}

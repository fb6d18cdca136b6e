using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.TestKit.Network;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Connection;
using MQTTnet.Exceptions;

namespace DataCentric.Edge.Uplink.Tests.Connection;

/// <summary>The device's connect against a broker that accepts TCP but never answers (hung, half-open).</summary>
[Trait("Category", "Integration")]
public sealed class DeviceConnectionDeadlineTests
{
    [Fact]
    public async Task EnsureConnected_ToAHungBroker_FailsWithinTheConnectTimeout_AndConnectsOnceItAnswers()
    {
        var token = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: token);
        await using var proxy = new FaultProxy(broker.Port);
        var options = new UplinkOptions { ConnectTimeout = TimeSpan.FromSeconds(1) };
        await using var connection = new DeviceConnection(options, new BrokerEndpoint("127.0.0.1", proxy.Port), new FleetTopics("fleet1", "dev1"));
        proxy.Freeze();

        // MQTTnet's own timeout did not cover the CONNACK wait: without the connection's deadline this hangs.
        var attempt = connection.EnsureConnectedAsync(token);
        var error = await Assert.ThrowsAnyAsync<MqttCommunicationException>(() => attempt.WaitAsync(Waits.Timeout, token));

        Assert.False(connection.IsConnected, error.ToString());
        proxy.Thaw();
        Assert.True(await connection.EnsureConnectedAsync(token));
    }
}

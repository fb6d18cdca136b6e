using System.Net;
using System.Net.Sockets;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Controller;
using DataCentric.Edge.Device.Tests.Sources.Sensors;
using MQTTnet;
using MQTTnet.Server;

namespace DataCentric.Edge.Device.Tests.Sources.Controller;

/// <summary>The controller feeds over real sockets on loopback: UDP datagrams and a real MQTT broker.</summary>
[Trait("Category", "Integration")]
public sealed class NetworkControllerFeedTests
{
    private static ControllerFeedOptions Options(int port = 0)
    {
        var options = new ControllerFeedOptions { UdpPort = port, MqttPort = port, MqttTopic = "ctl/decisions", MqttReconnectDelay = TimeSpan.FromMilliseconds(100) };
        options.Signals["brake"] = "Bool";
        options.Signals["steer"] = "Number";
        return options;
    }

    [Fact]
    public async Task Udp_GarbageDatagrams_AreCounted_AndTheFeedKeepsPublishing()
    {
        var rig = new SourceRig();
        var options = Options();
        var publisher = new ControllerDecisionPublisher(options, rig.BadInput, new ClockOffsetEstimator(8));
        var source = new UdpControllerSource(options, publisher, rig.Clock);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = source.RunAsync(rig.Bus, cts.Token);
        var endpoint = await source.Bound.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        using var client = new UdpClient(AddressFamily.InterNetwork);
        await client.SendAsync("{{{ not json"u8.ToArray(), endpoint, TestContext.Current.CancellationToken);
        await client.SendAsync(new byte[options.MaxMessageBytes + 500], endpoint, TestContext.Current.CancellationToken);
        await client.SendAsync("""{"decisions": {"brake": true, "steer": 0.75}}"""u8.ToArray(), endpoint, TestContext.Current.CancellationToken);

        await SourceRig.UntilAsync(() => publisher.Accepted == 1, "the valid datagram");
        Assert.Equal(0.75, rig.Latest("primary.steer").Value.Number);
        Assert.True(rig.Latest("primary.brake").Value.AsBool);
        Assert.Equal(1, rig.BadInput.CountOf("malformed-json"));
        Assert.Equal(1, rig.BadInput.CountOf("oversized"));

        await cts.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Mqtt_MalformedMessages_AreCounted_AndValidOnesArePublished()
    {
        var port = FreePort();
        var serverOptions = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None).WithDefaultEndpointPort(port).Build();
        using var server = new MqttServerFactory().CreateMqttServer(serverOptions);
        await server.StartAsync();
        try
        {
            var rig = new SourceRig();
            var options = Options(port);
            var publisher = new ControllerDecisionPublisher(options, rig.BadInput, new ClockOffsetEstimator(8));
            var source = new MqttControllerSource(options, publisher, new MonotonicClock(TimeProvider.System), new CollectingLogger<MqttControllerSource>());
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var running = source.RunAsync(rig.Bus, cts.Token);
            await source.Subscribed.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

            using var controller = new MqttClientFactory().CreateMqttClient();
            await controller.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("controller").Build(), TestContext.Current.CancellationToken);
            await controller.PublishStringAsync("ctl/decisions", "<xml/>", cancellationToken: TestContext.Current.CancellationToken);
            await controller.PublishStringAsync("ctl/decisions", """{"decisions": {"brake": 1}}""", cancellationToken: TestContext.Current.CancellationToken);
            await controller.PublishStringAsync("ctl/decisions", """{"decisions": {"brake": false, "steer": -0.5}}""", cancellationToken: TestContext.Current.CancellationToken);

            await SourceRig.UntilAsync(() => publisher.Accepted == 1, "the valid MQTT message");
            Assert.Equal(-0.5, rig.Latest("primary.steer").Value.Number);
            Assert.False(rig.Latest("primary.brake").Value.AsBool);
            Assert.Equal(1, rig.BadInput.CountOf("malformed-json"));
            Assert.Equal(1, rig.BadInput.CountOf("wrong-kind"));

            await cts.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

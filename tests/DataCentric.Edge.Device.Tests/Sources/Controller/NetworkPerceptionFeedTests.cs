using System.Net.Sockets;
using System.Text;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Controller;
using DataCentric.Edge.Device.Tests.Sources.Sensors;
using DataCentric.Edge.TestKit.Broker;
using MQTTnet;

namespace DataCentric.Edge.Device.Tests.Sources.Controller;

/// <summary>The controller's perception over real sockets: UDP datagrams and a real mosquitto broker.</summary>
[Trait("Category", "Integration")]
public sealed class NetworkPerceptionFeedTests
{
    private const string TwoBoxes = """{"perception": {"detections": {"boxes": [{"class": "car", "score": 0.9, "box": {"x": 0.1, "y": 0.2, "width": 0.3, "height": 0.4}}, {"class": 2, "score": 0.5, "box": {"x": 0.6, "y": 0.6, "width": 0.2, "height": 0.2}}]}, "labels": {"scene": "car"}}}""";
    private const string NegativeWidth = """{"perception": {"detections": {"boxes": [{"class": "car", "score": 0.9, "box": {"x": 0.5, "y": 0.2, "width": -0.3, "height": 0.4}}]}}}""";
    private const string OneBox = """{"perception": {"detections": {"boxes": [{"class": "pedestrian", "score": 0.8, "box": {"x": 0.1, "y": 0.2, "width": 0.3, "height": 0.4}}]}}}""";

    private static readonly string TooMany = """{"perception": {"detections": {"boxes": ["""
        + string.Join(", ", Enumerable.Repeat("""{"class": 0, "score": 1, "box": {"x": 0, "y": 0, "width": 1, "height": 1}}""", 65)) + "]}}}";

    private static ControllerFeedOptions Options(int port = 0)
    {
        var options = ControllerPerceptionTests.Options(maxMessageBytes: 8192);
        options.UdpPort = port;
        options.MqttPort = port;
        options.MqttTopic = "ctl/perception";
        options.MqttReconnectDelay = TimeSpan.FromMilliseconds(100);
        return options;
    }

    [Fact]
    public async Task Udp_Perception_IsPublished_HostileDatagramsAreCountedAndChangeNothing()
    {
        var rig = new SourceRig();
        var options = Options();
        var publisher = new ControllerDecisionPublisher(options, rig.BadInput, new ClockOffsetEstimator(8));
        var source = new UdpControllerSource(options, publisher, rig.Clock);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = source.RunAsync(rig.Bus, cts.Token);
        var endpoint = await source.Bound.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        using var client = new UdpClient(AddressFamily.InterNetwork);
        foreach (var datagram in new[] { TwoBoxes, NegativeWidth, TooMany })
        {
            await client.SendAsync(Encoding.UTF8.GetBytes(datagram), endpoint, TestContext.Current.CancellationToken);
        }

        await SourceRig.UntilAsync(() => rig.BadInput.Total == 2, "the two hostile datagrams");
        Assert.Equal(1, publisher.Accepted);
        Assert.Equal([new Detection(0, 0.9f, 0.1f, 0.2f, 0.3f, 0.4f), new Detection(2, 0.5f, 0.6f, 0.6f, 0.2f, 0.2f)], rig.Latest("primary.boxes").Value.AsDetections);
        Assert.Equal("car", rig.Latest("primary.scene").Value.AsText);
        Assert.Equal(1, rig.BadInput.CountOf("bad-detection"));
        Assert.Equal(1, rig.BadInput.CountOf("too-many-detections"));

        await client.SendAsync(Encoding.UTF8.GetBytes(OneBox), endpoint, TestContext.Current.CancellationToken);
        await SourceRig.UntilAsync(() => publisher.Accepted == 2, "the second good datagram");
        Assert.Equal(1, Assert.Single(rig.Latest("primary.boxes").Value.AsDetections).ClassId);

        await cts.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Mqtt_Perception_FromMosquitto_IsPublished_HostileMessagesAreCountedAndChangeNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: ct);
        var rig = new SourceRig();
        var options = Options(broker.Port);
        var publisher = new ControllerDecisionPublisher(options, rig.BadInput, new ClockOffsetEstimator(8));
        var source = new MqttControllerSource(options, publisher, new MonotonicClock(TimeProvider.System), new CollectingLogger<MqttControllerSource>());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = source.RunAsync(rig.Bus, cts.Token);
        await source.Subscribed.WaitAsync(TimeSpan.FromSeconds(10), ct);

        using var controller = new MqttClientFactory().CreateMqttClient();
        await controller.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("controller").Build(), ct);
        foreach (var message in new[] { TwoBoxes, NegativeWidth, TooMany })
        {
            await controller.PublishStringAsync("ctl/perception", message, cancellationToken: ct);
        }

        await SourceRig.UntilAsync(() => rig.BadInput.Total == 2 && publisher.Accepted == 1, "one good and two hostile messages", TimeSpan.FromSeconds(10));
        Assert.Equal(2, rig.Latest("primary.boxes").Value.AsDetections.Count);
        Assert.Equal(1, rig.BadInput.CountOf("bad-detection"));
        Assert.Equal(1, rig.BadInput.CountOf("too-many-detections"));

        await controller.PublishStringAsync("ctl/perception", OneBox, cancellationToken: ct);
        await SourceRig.UntilAsync(() => publisher.Accepted == 2, "the second good message", TimeSpan.FromSeconds(10));
        Assert.Equal(1, Assert.Single(rig.Latest("primary.boxes").Value.AsDetections).ClassId);

        await controller.DisconnectAsync(cancellationToken: ct);
        await cts.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5), ct);
    }
}

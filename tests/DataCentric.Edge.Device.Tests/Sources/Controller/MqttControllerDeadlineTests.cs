using System.Net;
using System.Net.Sockets;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Controller;
using DataCentric.Edge.Device.Tests.Sources.Sensors;
using Microsoft.Extensions.Configuration;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace DataCentric.Edge.Device.Tests.Sources.Controller;

/// <summary>
/// The MQTT controller feed against a broker that accepts TCP and never answers (a frozen process,
/// a half-open link): MQTTnet would wait for the CONNACK for ever, so the feed's own deadline is what
/// brings the controller signals back once a working broker is there.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MqttControllerDeadlineTests
{
    private const int ConnectFailed = 1211;

    private const int SubscribeRefused = 1212;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mqtt_SilentBroker_IsLoggedAsAConnectTimeout_ThenARealBrokerOnThePort_IsSubscribedAndPublished()
    {
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var rig = new SourceRig();
        var options = Options(port, TimeSpan.FromMilliseconds(300));
        var publisher = new ControllerDecisionPublisher(options, rig.BadInput, new ClockOffsetEstimator(8));
        var log = new CollectingLogger<MqttControllerSource>();
        var source = new MqttControllerSource(options, publisher, new MonotonicClock(TimeProvider.System), log);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var running = source.RunAsync(rig.Bus, cts.Token);
        MqttServer? broker = null;
        try
        {
            // The feed's TCP connect succeeds; nothing is ever written back.
            using (var held = await silent.AcceptSocketAsync(Token).AsTask().WaitAsync(Wait, Token))
            {
                // Two timeouts: the first connect gave up, and the loop came round and gave up again.
                await SourceRig.UntilAsync(() => Timeouts(log) >= 2, "two connect timeouts logged as event 1211", Wait);
                Assert.False(running.IsCompleted, "the feed keeps retrying");
                Assert.False(source.Subscribed.IsCompleted);
                Assert.Contains("did not accept the connection within 0.3 s (no CONNACK)", log.Lines.First(IsTimeout).Message, StringComparison.Ordinal);

                // The hung broker goes away (its pending connections are reset) and a working one takes its port.
                held.LingerState = new LingerOption(true, 0);
                silent.Stop();
            }

            broker = await StartBrokerAsync(port);
            await source.Subscribed.WaitAsync(Wait, Token);

            using var controller = new MqttClientFactory().CreateMqttClient();
            await controller.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("controller").Build(), Token);
            await controller.PublishStringAsync("ctl/decisions", """{"decisions": {"brake": true, "steer": 0.25}}""", cancellationToken: Token);

            await SourceRig.UntilAsync(() => publisher.Accepted == 1, "the controller message after the broker came back", Wait);
            Assert.Equal(0.25, rig.Latest("primary.steer").Value.Number);
            Assert.True(rig.Latest("primary.brake").Value.AsBool);
            Assert.Single(log.Lines, l => l.Id.Id == 1210);

            await cts.CancelAsync();
            await running.WaitAsync(Wait, Token);
        }
        finally
        {
            silent.Stop();
            if (broker is not null)
            {
                await broker.StopAsync();
                broker.Dispose();
            }
        }
    }

    [Fact]
    public async Task Mqtt_StoppedWhileWaitingOnASilentBroker_EndsAsAStop_NotAConnectFailure()
    {
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var rig = new SourceRig();
            var options = Options(((IPEndPoint)silent.LocalEndpoint).Port, TimeSpan.FromMinutes(10));
            var log = new CollectingLogger<MqttControllerSource>();
            var source = new MqttControllerSource(options, new ControllerDecisionPublisher(options, rig.BadInput, new ClockOffsetEstimator(8)), new MonotonicClock(TimeProvider.System), log);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
            var running = source.RunAsync(rig.Bus, cts.Token);
            using var held = await silent.AcceptSocketAsync(Token).AsTask().WaitAsync(Wait, Token);

            await cts.CancelAsync();

            // MQTTnet reports the cancelled connect as a failed one; the feed must end quietly, as on any stop.
            await running.WaitAsync(Wait, Token);
            Assert.DoesNotContain(log.Lines, l => l.Id.Id == ConnectFailed);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task Mqtt_RefusedSubscription_IsLogged_AndAskedAgainOnAFreshConnection()
    {
        var port = FreePort();
        using var broker = await StartBrokerAsync(port);
        var asked = 0;
        broker.InterceptingSubscriptionAsync += e =>
        {
            // The first request is refused, as a broker whose ACL is not loaded yet would.
            if (Interlocked.Increment(ref asked) == 1)
            {
                e.ProcessSubscription = false;
                e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            }

            return Task.CompletedTask;
        };
        try
        {
            var rig = new SourceRig();
            var options = Options(port, TimeSpan.FromSeconds(10));
            var publisher = new ControllerDecisionPublisher(options, rig.BadInput, new ClockOffsetEstimator(8));
            var log = new CollectingLogger<MqttControllerSource>();
            var source = new MqttControllerSource(options, publisher, new MonotonicClock(TimeProvider.System), log);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
            var running = source.RunAsync(rig.Bus, cts.Token);

            await source.Subscribed.WaitAsync(Wait, Token);

            var refusal = Assert.Single(log.Lines, l => l.Id.Id == SubscribeRefused);
            Assert.Contains("refused the subscription to ctl/decisions (NotAuthorized)", refusal.Message, StringComparison.Ordinal);
            Assert.Equal(2, Volatile.Read(ref asked));
            using var controller = new MqttClientFactory().CreateMqttClient();
            await controller.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("controller").Build(), Token);
            await controller.PublishStringAsync("ctl/decisions", """{"decisions": {"brake": false, "steer": -0.5}}""", cancellationToken: Token);
            await SourceRig.UntilAsync(() => publisher.Accepted == 1, "the controller message on the second subscription", Wait);
            Assert.Equal(-0.5, rig.Latest("primary.steer").Value.Number);

            await cts.CancelAsync();
            await running.WaitAsync(Wait, Token);
        }
        finally
        {
            await broker.StopAsync();
        }
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:05")]
    public void Options_ANonPositiveConnectTimeout_IsRefusedWithItsKey(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Sources:Controller:MqttConnectTimeout", value)]).Build();

        var errors = ConfigurationValidator.Validate(configuration, DeviceConfiguration.Sections);

        Assert.Contains(errors, e => e.StartsWith("Sources:Controller:MqttConnectTimeout: must be a positive duration", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(10), new ControllerFeedOptions().MqttConnectTimeout);
    }

    private static ControllerFeedOptions Options(int port, TimeSpan connectTimeout)
    {
        var options = new ControllerFeedOptions
        {
            MqttPort = port,
            MqttTopic = "ctl/decisions",
            MqttReconnectDelay = TimeSpan.FromMilliseconds(100),
            MqttConnectTimeout = connectTimeout,
        };
        options.Signals["brake"] = "Bool";
        options.Signals["steer"] = "Number";
        return options;
    }

    private static bool IsTimeout((Microsoft.Extensions.Logging.LogLevel Level, Microsoft.Extensions.Logging.EventId Id, string Message) line) =>
        line.Id.Id == ConnectFailed && line.Message.Contains("no CONNACK", StringComparison.Ordinal);

    private static int Timeouts(CollectingLogger<MqttControllerSource> log) => log.Lines.Count(IsTimeout);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<MqttServer> StartBrokerAsync(int port)
    {
        var serverOptions = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None).WithDefaultEndpointPort(port).Build();
        var server = new MqttServerFactory().CreateMqttServer(serverOptions);
        await server.StartAsync();
        return server;
    }
}

using DataCentric.Edge.FleetService.Messaging;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace DataCentric.Edge.FleetService.Tests.Messaging;

/// <summary>The fleet's persistent MQTT session against a real mosquitto.</summary>
[Trait("Category", "Integration")]
public sealed class DurableSubscriberTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task ASlowHandler_HoldsAtMostTheWindow_WhileManyPublishersFlood_AndEveryMessageIsHandledOnce(int concurrentHandlers)
    {
        // mosquitto 2.0.11 sends far past a client's receive maximum once acks flow (562 of 32 measured
        // with 20 publishers): the window must hold MQTTnet's receive loop instead.
        const int Window = 4;
        const int Publishers = 10;
        const int PerPublisher = 30;
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        var handled = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        long maxHeld = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        DurableSubscriber? subscriber = null;
        subscriber = new DurableSubscriber(
            new DurableSubscriberSettings("test", "sub", ["$share/g/flood/+"], new UplinkOptions { Port = broker.Port }, TimeSpan.FromMilliseconds(50), Window, concurrentHandlers),
            async (message, cancellationToken) =>
            {
                var held = subscriber!.PublishesTaken - handled.Count;
                InterlockedMax(ref maxHeld, held);
                await Task.Delay(2, cancellationToken);
                if (handled.AddOrUpdate(message.Topic + "/" + message.ConvertPayloadToString(), 1, (_, n) => n + 1) == 1 && handled.Count == Publishers * PerPublisher)
                {
                    all.TrySetResult();
                }
            },
            TimeProvider.System,
            NullLogger.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = subscriber.RunAsync(stop.Token);
        await subscriber.Subscribed.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(p => PublishAsync(broker.Port, p, PerPublisher)));
        await all.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.All(handled.Values, n => Assert.Equal(1, n));
        Assert.InRange(maxHeld, 1, Window);
        await stop.CancelAsync();
        await running;
        subscriber.Dispose();
    }

    private static async Task PublishAsync(int port, int publisher, int count)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId($"pub{publisher}").Build(), Ct);
        var filler = new string('x', 16 * 1024);
        for (var i = 0; i < count; i += 10)
        {
            // Ten in flight at a time: under mosquitto's own receive maximum for a publisher (20).
            await Task.WhenAll(Enumerable.Range(i, Math.Min(10, count - i)).Select(n => client.PublishAsync(
                new MqttApplicationMessageBuilder().WithTopic($"flood/{publisher}").WithPayload($"{n}:{filler}").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                Ct)));
        }

        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), Ct);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Connection;

namespace DataCentric.Edge.Uplink.Tests.Connection;

[Trait("Category", "Integration")]
public sealed class DeviceEventsTests
{
    [Fact]
    public async Task EventsFiredWhileOffline_AreToldOnceConnected_InOrder()
    {
        await using var f = await UplinkFixture.StartAsync();
        var events = new DeviceEvents(f.Connection);
        await using var tools = new FleetClient(f.Options, f.Endpoint);
        await tools.ConnectAsync(TestContext.Current.CancellationToken);
        var seen = new List<string>();
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = await tools.WatchAsync(f.Topics.Events, m =>
        {
            lock (seen)
            {
                seen.Add(JsonSerializer.Deserialize<EventSummary>(m.Payload.FirstSpan, UplinkJson.Options)!.EventId);
                if (seen.Count == 2)
                {
                    both.TrySetResult();
                }
            }
        }, TestContext.Current.CancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = events.RunAsync(TimeSpan.FromMilliseconds(20), TimeProvider.System, stop.Token);

        events.Post(new EventSummary("e1", ["t"], DateTimeOffset.UnixEpoch, 1, false, 1, null));
        events.Post(new EventSummary("e2", ["t"], DateTimeOffset.UnixEpoch, 1, false, 1, null));
        Assert.True(await f.Connection.EnsureConnectedAsync(TestContext.Current.CancellationToken));

        await both.Task.WaitAsync(Waits.Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(["e1", "e2"], seen);
        Assert.Equal(0, events.Dropped);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Offline_TheQueueIsBounded_AndDropsAreCounted()
    {
        await using var f = new DeviceConnection(new Uplink.Broker.UplinkOptions(), new BrokerEndpoint("127.0.0.1", 1), new FleetTopics("f", "d"));
        var events = new DeviceEvents(f);

        for (var i = 0; i < DeviceEvents.Capacity + 10; i++)
        {
            events.Post(new EventSummary($"e{i}", ["t"], DateTimeOffset.UnixEpoch, 1, false, 1, null));
        }

        Assert.Equal(10, events.Dropped);
    }
}

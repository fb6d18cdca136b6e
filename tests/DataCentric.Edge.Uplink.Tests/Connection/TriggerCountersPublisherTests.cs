using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.TestKit.Triggers;
using DataCentric.Edge.Uplink.Connection;

namespace DataCentric.Edge.Uplink.Tests.Connection;

/// <summary>The engine's counters reach the fleet on <c>{device}/triggers/counters</c>, every interval of the injected clock.</summary>
[Trait("Category", "Integration")]
public sealed class TriggerCountersPublisherTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Report_ArrivesEveryInterval_WithTheCumulativeCountsOfEveryTrigger()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var f = await UplinkFixture.StartAsync();
        using var traffic = new TriggerTraffic();
        var publisher = new TriggerCountersPublisher(f.Connection, traffic.Engine, Interval, traffic.Time);
        await using var tools = await WatchAsync(f);
        Assert.True(await f.Connection.EnsureConnectedAsync(ct));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = publisher.RunAsync(stop.Token);
        var start = traffic.Time.GetUtcNow();

        traffic.Drive();
        traffic.Time.Advance(Interval);
        var first = Parse(await tools.NextAsync(f.Topics.TriggerCounters));

        Assert.Equal(("fleet1", "dev1", 7, 30.0), (first.Fleet, first.Device, first.TriggerSetVersion, first.IntervalSeconds));
        Assert.Equal(start + Interval, first.At);
        Assert.Equal(traffic.Clock.WallClockAtOrigin, first.StartedAt);
        Assert.Equal(["brake", "budget", "sampled", "trial", "speedy"], first.Counters.Select(c => c.TriggerId));
        AssertCounts(first, drives: 1);

        // Nothing fired in between is lost and nothing is counted twice: the counts are cumulative.
        traffic.Drive();
        traffic.Time.Advance(Interval);
        var second = Parse(await tools.NextAsync(f.Topics.TriggerCounters));

        Assert.Equal(start + (2 * Interval), second.At);
        Assert.Equal(first.StartedAt, second.StartedAt);
        AssertCounts(second, drives: 2);
        await Waits.WaitUntilAsync(() => publisher.Published == 2, "the broker acknowledged both reports");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Report_IsCamelCaseJson_AsTheContractWrites()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var f = await UplinkFixture.StartAsync();
        using var traffic = new TriggerTraffic();
        traffic.Drive();
        var publisher = new TriggerCountersPublisher(f.Connection, traffic.Engine, Interval, traffic.Time);
        await using var tools = await WatchAsync(f);
        Assert.True(await f.Connection.EnsureConnectedAsync(ct));

        await publisher.PublishAsync(ct);
        using var json = JsonDocument.Parse(await tools.NextAsync(f.Topics.TriggerCounters));

        var root = json.RootElement;
        Assert.Equal(
            ["fleet", "device", "at", "startedAt", "triggerSetVersion", "intervalSeconds", "counters"],
            root.EnumerateObject().Select(p => p.Name));
        var trial = root.GetProperty("counters").EnumerateArray().Single(c => c.GetProperty("triggerId").GetString() == "trial");
        Assert.Equal(
            ["triggerId", "evaluations", "fires", "dryRunFires", "suppressedCooldown", "suppressedBudget", "suppressedSampling", "suppressedDuplicate", "missingSignal", "disabledReason"],
            trial.EnumerateObject().Select(p => p.Name));
        Assert.Equal(TriggerTraffic.Edges, trial.GetProperty("dryRunFires").GetInt64());
        Assert.Equal(JsonValueKind.Null, trial.GetProperty("disabledReason").ValueKind);
        Assert.Equal(30, root.GetProperty("intervalSeconds").GetDouble());
        Assert.Equal(traffic.Time.GetUtcNow(), root.GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task WhileDisconnected_TicksAreSkipped_AndTheNextReportCarriesEverything()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var f = await UplinkFixture.StartAsync();
        using var traffic = new TriggerTraffic();
        var publisher = new TriggerCountersPublisher(f.Connection, traffic.Engine, Interval, traffic.Time);
        await using var tools = await WatchAsync(f);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = publisher.RunAsync(stop.Token);

        traffic.Drive();
        traffic.Time.Advance(Interval);
        await Waits.WaitUntilAsync(() => publisher.Skipped == 1, "the offline tick was skipped");
        Assert.True(await f.Connection.EnsureConnectedAsync(ct));
        traffic.Drive();
        traffic.Time.Advance(Interval);
        var report = Parse(await tools.NextAsync(f.Topics.TriggerCounters));

        AssertCounts(report, drives: 2);
        await Waits.WaitUntilAsync(() => publisher.Published == 1, "the broker acknowledged the report");
        Assert.Equal(1, publisher.Skipped);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task AZeroInterval_IsRefused()
    {
        await using var f = await UplinkFixture.StartAsync();
        using var traffic = new TriggerTraffic();

        Assert.Throws<ArgumentOutOfRangeException>(() => new TriggerCountersPublisher(f.Connection, traffic.Engine, TimeSpan.Zero, traffic.Time));
    }

    /// <summary>The counts <see cref="TriggerTraffic.Drive"/> leaves after <paramref name="drives"/> runs, trigger by trigger.</summary>
    private static void AssertCounts(TriggerCountersReport report, int drives)
    {
        var edges = TriggerTraffic.Edges * drives;
        var ticks = TriggerTraffic.Ticks * drives;
        var c = report.Counters.ToDictionary(e => e.TriggerId);
        Assert.Equal(new TriggerCountersEntry("brake", ticks, drives, 0, edges - drives, 0, 0, 0, 0, null), c["brake"]);
        Assert.Equal(new TriggerCountersEntry("budget", ticks, 1, 0, 0, edges - 1, 0, 0, 0, null), c["budget"]);
        Assert.Equal(new TriggerCountersEntry("sampled", ticks, 0, 0, 0, 0, edges, 0, 0, null), c["sampled"]);
        Assert.Equal(new TriggerCountersEntry("trial", ticks, edges, edges, 0, 0, 0, 0, 0, null), c["trial"]);
        Assert.Equal(new TriggerCountersEntry("speedy", ticks, 0, 0, 0, 0, 0, 0, ticks, null), c["speedy"]);
    }

    private static TriggerCountersReport Parse(string json) => JsonSerializer.Deserialize(json, UplinkJson.TypeInfo<TriggerCountersReport>())!;

    private static async Task<Watcher> WatchAsync(UplinkFixture f)
    {
        var watcher = new Watcher(new FleetClient(f.Options, f.Endpoint));
        await watcher.Client.ConnectAsync(TestContext.Current.CancellationToken);
        watcher.Subscription = await watcher.Client.WatchAsync(
            FleetTopics.AllTriggerCounters(f.Topics.Fleet),
            m => watcher.Arrived.Writer.TryWrite((m.Topic, Encoding.UTF8.GetString(m.Payload))),
            TestContext.Current.CancellationToken);
        return watcher;
    }

    /// <summary>A fleet tool's view of the counters topic: each message, in order, awaited with a deadline.</summary>
    private sealed class Watcher(FleetClient client) : IAsyncDisposable
    {
        public FleetClient Client { get; } = client;

        public IDisposable? Subscription { get; set; }

        public Channel<(string Topic, string Json)> Arrived { get; } = Channel.CreateUnbounded<(string, string)>();

        public async Task<string> NextAsync(string topic)
        {
            var (arrivedOn, json) = await Arrived.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Waits.Timeout, TestContext.Current.CancellationToken);
            Assert.Equal(topic, arrivedOn);
            return json;
        }

        public async ValueTask DisposeAsync()
        {
            Subscription?.Dispose();
            await Client.DisposeAsync();
        }
    }
}

using DataCentric.Edge.Agent.Tests.Health;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Uplink.Broker;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Tests.EndToEnd;

/// <summary>The whole demo agent: its trigger counters reach the fleet over MQTT and the metrics endpoint serves the same ones.</summary>
[Trait("Category", "Integration")]
public sealed class TriggerCountersTests
{
    [Fact]
    public async Task Counters_ReachTheFleetEveryInterval_AndTheEndpointServesTheSameCounters()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = PrometheusText.FreePort();
        await using var agent = new DemoAgent(
            ("Uplink:TriggerCountersInterval", "00:00:00.2"), ("Health:MetricsEnabled", "true"), ("Health:MetricsPort", $"{port}"));
        await agent.Host.StartAsync(ct);
        var services = agent.Host.Services;
        var active = services.GetRequiredService<ActiveTriggerSet>().Current;
        await using var fleet = await FleetSession.OpenAsync(services.GetRequiredService<BrokerEndpoint>(), services.GetRequiredService<FleetTopics>(), ct);

        var first = await fleet.WaitForAsync<TriggerCountersReport>(fleet.Topics.TriggerCounters, r => r.Counters.Any(c => c.Evaluations > 0), ct);
        var later = await fleet.WaitForAsync<TriggerCountersReport>(fleet.Topics.TriggerCounters, r => r.At > first.At, ct);
        var text = await PrometheusText.ScrapeUntilAsync(
            port, t => PrometheusText.Value(t, Series("dce_trigger_evaluations_total", later.Counters[0].TriggerId)) >= later.Counters[0].Evaluations, TimeSpan.FromSeconds(20), ct);
        await agent.Host.StopAsync(ct);

        Assert.Equal((fleet.Topics.Fleet, fleet.Topics.Device, active.Version, 0.2), (first.Fleet, first.Device, first.TriggerSetVersion, first.IntervalSeconds));
        Assert.Equal(active.Triggers.Select(t => t.Id), first.Counters.Select(c => c.TriggerId));
        Assert.Equal(first.StartedAt, later.StartedAt);
        Assert.True(later.Counters[0].Evaluations >= first.Counters[0].Evaluations);

        // One source: the scrape came after the report, so it shows at least the reported counts, for every trigger and reason.
        foreach (var c in later.Counters)
        {
            Assert.True(PrometheusText.Value(text, Series("dce_trigger_evaluations_total", c.TriggerId)) >= c.Evaluations, text);
            Assert.True(PrometheusText.Value(text, Series("dce_trigger_fires_total", c.TriggerId)) >= c.Fires, text);
            Assert.True(PrometheusText.Value(text, Series("dce_trigger_dry_run_fires_total", c.TriggerId)) >= c.DryRunFires, text);
            Assert.True(PrometheusText.Value(text, Series("dce_trigger_missing_signal_total", c.TriggerId)) >= c.MissingSignal, text);
            foreach (var (reason, count) in new[] { ("cooldown", c.SuppressedCooldown), ("budget", c.SuppressedBudget), ("sampling", c.SuppressedSampling), ("duplicate", c.SuppressedDuplicate) })
            {
                Assert.True(PrometheusText.Value(text, $"dce_trigger_suppressed_total{{trigger=\"{c.TriggerId}\",reason=\"{reason}\"}}") >= count, text);
            }
        }
    }

    private static string Series(string name, string trigger) => $"{name}{{trigger=\"{trigger}\"}}";
}

using System.Text;
using DataCentric.Edge.Agent.Health;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit.Triggers;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Connection;
using Prometheus;

namespace DataCentric.Edge.Agent.Tests.Health;

/// <summary>The per-trigger Prometheus counters, read from a real engine driven to known counts.</summary>
[Trait("Category", "Unit")]
public sealed class TriggerMetricsTests
{
    [Fact]
    public async Task Scrape_ShowsEveryTriggersCounters_Labelled_AsTheFleetReportHasThem()
    {
        using var traffic = new TriggerTraffic();
        var registry = Metrics.NewCustomRegistry();
        HealthMetricSet.RegisterTriggerCounters(registry, traffic.Engine);
        await using var connection = new DeviceConnection(new UplinkOptions(), new BrokerEndpoint("127.0.0.1", 1), new FleetTopics("fleet1", "dev1"));
        var publisher = new TriggerCountersPublisher(connection, traffic.Engine, TimeSpan.FromMinutes(1), traffic.Time);
        traffic.Drive();

        var text = await ScrapeAsync(registry);
        var report = publisher.Read();

        Assert.Equal(1, Value(text, "dce_trigger_fires_total", "brake"));
        Assert.Equal(2, Value(text, "dce_trigger_suppressed_total", "brake", "cooldown"));
        Assert.Equal(2, Value(text, "dce_trigger_suppressed_total", "budget", "budget"));
        Assert.Equal(3, Value(text, "dce_trigger_suppressed_total", "sampled", "sampling"));
        Assert.Equal(0, Value(text, "dce_trigger_suppressed_total", "sampled", "duplicate"));
        Assert.Equal(3, Value(text, "dce_trigger_dry_run_fires_total", "trial"));
        Assert.Equal(6, Value(text, "dce_trigger_missing_signal_total", "speedy"));
        Assert.All(report.Counters, c =>
        {
            Assert.Equal(c.Evaluations, Value(text, "dce_trigger_evaluations_total", c.TriggerId));
            Assert.Equal(c.Fires, Value(text, "dce_trigger_fires_total", c.TriggerId));
            Assert.Equal(c.DryRunFires, Value(text, "dce_trigger_dry_run_fires_total", c.TriggerId));
            Assert.Equal(c.SuppressedCooldown, Value(text, "dce_trigger_suppressed_total", c.TriggerId, "cooldown"));
            Assert.Equal(c.SuppressedBudget, Value(text, "dce_trigger_suppressed_total", c.TriggerId, "budget"));
            Assert.Equal(c.SuppressedSampling, Value(text, "dce_trigger_suppressed_total", c.TriggerId, "sampling"));
            Assert.Equal(c.SuppressedDuplicate, Value(text, "dce_trigger_suppressed_total", c.TriggerId, "duplicate"));
            Assert.Equal(c.MissingSignal, Value(text, "dce_trigger_missing_signal_total", c.TriggerId));
        });
    }

    [Fact]
    public async Task Scrape_AfterMoreTraffic_CountsOn()
    {
        using var traffic = new TriggerTraffic();
        var registry = Metrics.NewCustomRegistry();
        HealthMetricSet.RegisterTriggerCounters(registry, traffic.Engine);
        traffic.Drive();
        Assert.Equal(3, Value(await ScrapeAsync(registry), "dce_trigger_fires_total", "trial"));

        traffic.Drive();
        var text = await ScrapeAsync(registry);

        Assert.Equal(6, Value(text, "dce_trigger_fires_total", "trial"));
        Assert.Equal(12, Value(text, "dce_trigger_evaluations_total", "speedy"));
    }

    private static double Value(string text, string name, string trigger, string? reason = null)
    {
        var series = reason is null ? $"{name}{{trigger=\"{trigger}\"}}" : $"{name}{{trigger=\"{trigger}\",reason=\"{reason}\"}}";
        var value = PrometheusText.Value(text, series);
        Assert.True(value.HasValue, $"{series} is not served:{Environment.NewLine}{text}");
        return value.Value;
    }

    private static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

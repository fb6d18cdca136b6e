using System.Net;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace DataCentric.Edge.Agent.Health;

/// <summary>
/// Serves the health snapshot and the per-trigger counters as Prometheus text on loopback with prometheus-net's stand-alone
/// HttpListener server (no ASP.NET Core in the agent). Its own registry, not the default one, so
/// only our figures are served and no runtime event listeners run on the board. Values are read
/// at scrape time; a port already taken is reported, not fatal.
/// </summary>
internal sealed partial class MetricsEndpoint(
    IOptions<HealthOptions> options, HealthSampler sampler, TriggerEngine triggerEngine, IHealthReporter reporter, ILogger<MetricsEndpoint> logger) : IHostedService
{
    private MetricServer? _server;

    /// <summary>The URL the endpoint serves, e.g. <c>http://127.0.0.1:9464/metrics</c>.</summary>
    public string Url => $"http://{options.Value.MetricsHost}:{options.Value.MetricsPort}/metrics";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MetricsEnabled)
        {
            return Task.CompletedTask;
        }

        var registry = Metrics.NewCustomRegistry();
        HealthMetricSet.Register(registry, sampler, triggerEngine);
        RuntimeMemoryMetricSet.Register(registry);
        var server = new MetricServer(options.Value.MetricsHost, options.Value.MetricsPort, "metrics/", registry);
        try
        {
            server.Start();
            _server = server;
            reporter.Report("metrics-endpoint", Url, ComponentState.Ok, "serving Prometheus text");
            LogServing(Url);
        }
        catch (HttpListenerException e)
        {
            server.Dispose();
            reporter.Report("metrics-endpoint", Url, ComponentState.Faulted, $"cannot listen: {e.Message}");
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            await server.StopAsync().ConfigureAwait(false);
            server.Dispose();
            _server = null;
        }
    }

    [LoggerMessage(EventId = 910, Level = LogLevel.Information, Message = "Metrics served at {Url}")]
    private partial void LogServing(string url);
}

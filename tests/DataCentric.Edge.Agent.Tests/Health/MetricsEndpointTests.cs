using System.Net;
using System.Net.Sockets;
using DataCentric.Edge.Agent.Health;
using DataCentric.Edge.Agent.Tests.EndToEnd;
using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Tests.Health;

/// <summary>The whole demo agent in-process with the endpoint on; the board's camera node does not exist.</summary>
[Trait("Category", "Integration")]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Scrape_ShowsRealPipelineFigures()
    {
        var port = PrometheusText.FreePort();
        await using var agent = new DemoAgent(("Health:MetricsEnabled", "true"), ("Health:MetricsPort", $"{port}"));
        var ct = TestContext.Current.CancellationToken;
        await agent.Host.StartAsync(ct);

        var text = await PrometheusText.ScrapeUntilAsync(
            port, t => PrometheusText.Value(t, "dce_frames_inferred_total") > 0 && PrometheusText.Value(t, "dce_trigger_evaluation_lag_seconds") > 0
                 && PrometheusText.Value(t, "dce_gc_collections_total{generation=\"0\"}") > 0,
            TimeSpan.FromSeconds(20),
            ct);
        await agent.Host.StopAsync(ct);

        Assert.True(PrometheusText.Value(text, "dce_frames_inferred_total") > 0, text);
        Assert.True(PrometheusText.Value(text, "dce_frames_captured_total") >= PrometheusText.Value(text, "dce_frames_inferred_total"));
        var p50 = PrometheusText.Value(text, "dce_inference_latency_seconds{model=\"obstacle-detector\",quantile=\"0.5\"}");
        var p99 = PrometheusText.Value(text, "dce_inference_latency_seconds{model=\"obstacle-detector\",quantile=\"0.99\"}");
        Assert.Equal(1, PrometheusText.Value(text, "dce_model_running{model=\"obstacle-detector\"}"));
        Assert.NotNull(p50);
        Assert.InRange(p50!.Value, double.Epsilon, p99!.Value);
        Assert.NotNull(PrometheusText.Value(text, "dce_queue_depth{queue=\"inference\"}"));
        Assert.NotNull(PrometheusText.Value(text, "dce_upload_backlog_clips"));
        Assert.True(PrometheusText.Value(text, "dce_data_directory_bytes") > 0, "the catalog is in the data directory");
        Assert.True(PrometheusText.Value(text, "dce_data_volume_free_bytes") > 0);
        // Measured from process start, and this test process hosts many agents before this one: bound it by the process's age.
        var processAge = (DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalSeconds;
        Assert.InRange(PrometheusText.Value(text, "dce_first_frame_seconds")!.Value, double.Epsilon, processAge);
        Assert.NotNull(PrometheusText.Value(text, "dce_trigger_events_total"));

        // The runtime's memory, for telling a managed leak from the collector's sawtooth, after a collection.
        var resident = PrometheusText.Value(text, "dce_process_resident_bytes")!.Value;
        var heap = PrometheusText.Value(text, "dce_gc_heap_bytes")!.Value;
        Assert.InRange(heap, 1, PrometheusText.Value(text, "dce_gc_committed_bytes")!.Value);
        Assert.InRange(PrometheusText.Value(text, "dce_gc_fragmented_bytes")!.Value, 0, heap);
        Assert.InRange(resident, 16.0 * 1024 * 1024, 64.0 * 1024 * 1024 * 1024);
        Assert.True(PrometheusText.Value(text, "dce_gc_collections_total{generation=\"0\"}") >= PrometheusText.Value(text, "dce_gc_collections_total{generation=\"2\"}"));

        // The demo set reads a model output: it is judged at that output's frame, behind the tick.
        Assert.InRange(PrometheusText.Value(text, "dce_trigger_evaluation_lag_seconds")!.Value, double.Epsilon, 5);
        Assert.Equal(1, PrometheusText.Value(text, $"dce_device_ok{{component=\"metrics-endpoint\",device=\"http://127.0.0.1:{port}/metrics\"}}"));
        var summary = agent.Host.Services.GetRequiredService<IHealthSummarySource>().Current();
        Assert.Empty(summary.Faults);
        Assert.True(Assert.Single(summary.Models).P50Ms > 0);
    }

    [Fact]
    public async Task CudaRequested_OnTheCpuBuild_TheFallbackIsOnTheEndpointAndTheStatus()
    {
        var port = PrometheusText.FreePort();
        await using var agent = new DemoAgent(
            ("Health:MetricsEnabled", "true"), ("Health:MetricsPort", $"{port}"), ("Inference:Models:0:ExecutionProviders:0", "Cuda"));
        var ct = TestContext.Current.CancellationToken;
        await agent.Host.StartAsync(ct);

        var text = await PrometheusText.ScrapeUntilAsync(port, t => PrometheusText.Value(t, "dce_frames_inferred_total") > 0, TimeSpan.FromSeconds(20), ct);
        var summary = agent.Host.Services.GetRequiredService<IHealthSummarySource>().Current();
        await agent.Host.StopAsync(ct);

        Assert.Equal(1, PrometheusText.Value(text, "dce_model_provider{model=\"obstacle-detector\",provider=\"Cpu\"}"));
        Assert.Equal(1, PrometheusText.Value(text, "dce_model_provider_fallback{model=\"obstacle-detector\"}"));
        var model = Assert.Single(summary.Models);
        Assert.Equal("Cpu", model.Provider);
        Assert.StartsWith("Cuda requested but this ONNX Runtime build has only CPUExecutionProvider", model.ProviderFallback, StringComparison.Ordinal);
        Assert.Equal(["CPUExecutionProvider"], summary.InferenceRuntime!.Providers);
        Assert.Null(summary.InferenceRuntime.Library);
    }

    [Fact]
    public async Task MissingV4l2Camera_IsReportedOnTheEndpointAndStatus_AndTheAgentKeepsRunning()
    {
        const string Node = "/dev/video213";
        Assert.SkipWhen(File.Exists(Node), $"{Node} exists on this machine");
        var port = PrometheusText.FreePort();
        await using var agent = new DemoAgent(
            ("Health:MetricsEnabled", "true"), ("Health:MetricsPort", $"{port}"), ("Sources:Camera:Kind", "V4l2"), ("Sources:Camera:V4l2BusId", "213"));
        var ct = TestContext.Current.CancellationToken;
        await agent.Host.StartAsync(ct);

        var text = await PrometheusText.ScrapeUntilAsync(
            port, t => PrometheusText.Value(t, $"dce_device_ok{{component=\"camera\",device=\"{Node}\"}}") == 0, TimeSpan.FromSeconds(20), ct);
        var summary = agent.Host.Services.GetRequiredService<IHealthSummarySource>().Current();
        await agent.Host.StopAsync(ct);

        Assert.Equal(0, PrometheusText.Value(text, "dce_frames_captured_total"));
        Assert.Equal(1, PrometheusText.Value(text, "dce_model_running{model=\"obstacle-detector\"}"));
        var cameras = agent.Host.Services.GetRequiredService<ComponentHealthRegistry>().Current.Where(s => s.Component == "camera").ToList();
        Assert.NotEmpty(cameras);
        Assert.All(cameras, c => Assert.NotEqual(ComponentState.Ok, c.State));
        Assert.Contains(cameras, c => c.Detail.Contains($"no device node {Node}", StringComparison.Ordinal));
        Assert.Contains(summary.Faults, f => f.Component == "camera");
    }

    [Fact]
    public async Task PortAlreadyTaken_IsReported_AndTheAgentKeepsRunning()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var agent = new DemoAgent(("Health:MetricsEnabled", "true"), ("Health:MetricsPort", $"{port}"));
        var ct = TestContext.Current.CancellationToken;

        await agent.Host.StartAsync(ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (agent.Metrics.FramesInferred == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, ct);
        }

        await agent.Host.StopAsync(ct);

        Assert.True(agent.Metrics.FramesInferred > 0);
        var endpoint = agent.Host.Services.GetRequiredService<ComponentHealthRegistry>().Current.Single(s => s.Component == "metrics-endpoint");
        Assert.Equal(ComponentState.Faulted, endpoint.State);
        Assert.Contains("cannot listen", endpoint.Detail, StringComparison.Ordinal);
    }
}

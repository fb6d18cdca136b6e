using DataCentric.Edge.FleetService.Catalog.Staging;
using DataCentric.Edge.FleetService.Receiving;
using DataCentric.Edge.FleetService.Tracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.FleetService.Metrics;

public static class FleetMetricsEndpoint
{
    /// <summary>
    /// <c>GET /metrics</c> for Prometheus, without a token like <c>/healthz</c> (the API listens on
    /// localhost unless told otherwise; put a scraper-only listener or proxy in front when it does not).
    /// A staging store that does not answer leaves its gauges out rather than failing the scrape.
    /// </summary>
    public static IEndpointRouteBuilder MapFleetMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/metrics", (RequestDelegate)WriteAsync);
        return endpoints;
    }

    // A RequestDelegate, not a lambda the framework inspects: no reflection, so trimming keeps it.
    private static async Task WriteAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var receiver = services.GetService<ClipReceiverService>();
        var tracker = services.GetService<DeviceTracker>();
        StagingUsage? usage = null;
        if (services.GetService<IClipStaging>() is { } staging)
        {
            try
            {
                usage = await staging.GetUsageAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The catalog is down: /healthz says so; the counters still scrape.
            }
        }

        var text = FleetMetrics.Render(receiver?.Counters, receiver?.IsConnected ?? false, tracker?.Counters, tracker?.IsConnected ?? false, usage);
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }
}

using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.Api;

/// <summary><c>GET /healthz</c> (no token): 200 when the catalog answers a query within a few seconds, 503 otherwise.</summary>
internal sealed class HealthEndpoint(IFleetQueries queries, ILogger<HealthEndpoint> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(Timeout);
        try
        {
            _ = await queries.ListDevicePageAsync(new DeviceQuery { Limit = 1 }, timeout.Token).ConfigureAwait(false);
            return Results.Json(new ApiHealth("ok"), FleetApiJsonContext.Default.ApiHealth);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Whatever the catalog throws (down, timed out, disposed), the service is not healthy.
            FleetApiLog.CatalogUnhealthy(logger, e);
            return Results.Json(
                new ApiHealth("unavailable", $"the catalog did not answer ({e.GetType().Name})"), FleetApiJsonContext.Default.ApiHealth,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

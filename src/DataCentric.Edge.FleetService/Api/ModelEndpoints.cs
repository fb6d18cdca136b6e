using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Models;

namespace DataCentric.Edge.FleetService.Api;

/// <summary><c>GET /api/models/{name}</c>: one model across the fleet, per version (viewer).</summary>
internal sealed class ModelEndpoints(IModelReleases releases)
{
    public async Task<IResult> GetAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "fleet");
        var name = ModelRoute.Name(context);
        var fleet = q.Text("fleet");
        var acks = await releases.ListModelReleasesAsync(fleet, name, null, context.RequestAborted).ConfigureAwait(false);
        if (acks.Count == 0)
        {
            return ApiProblems.NotFound($"no device reported model '{name}'{(fleet is null ? string.Empty : $" in fleet '{fleet}'")}");
        }

        return Results.Json(ModelView.Of(name, fleet, acks), FleetApiJsonContext.Default.ApiModelView);
    }
}

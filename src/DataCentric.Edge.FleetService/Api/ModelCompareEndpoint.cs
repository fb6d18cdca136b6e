using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.Comparison;
using DataCentric.Edge.FleetService.Models;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// <c>GET /api/models/{name}/compare?fleet=&amp;from=&amp;to=&amp;device=&amp;group=</c> (viewer): the model's
/// versions side by side (<see cref="ModelComparison"/>). 404 when no device reported the model, or
/// when the group has no member the fleet knows of.
/// </summary>
internal sealed class ModelCompareEndpoint(IModelComparisons comparisons, IModelReleases releases)
{
    public async Task<IResult> GetAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "fleet", "from", "to", "device", "group");
        var name = ModelRoute.Name(context);
        var query = new ModelComparisonQuery(name) { Fleet = q.Text("fleet"), Device = q.Text("device"), From = q.Time("from"), To = q.Time("to") };
        var group = q.Text("group");
        if (group is not null)
        {
            CatalogGuard.Id(group, "group");
            var members = RolloutGroupMembers.Of(
                group,
                await releases.ListRolloutsAsync(query.Fleet, name, context.RequestAborted).ConfigureAwait(false),
                await releases.ListModelReleasesAsync(query.Fleet, name, query.Device, context.RequestAborted).ConfigureAwait(false));
            if (members.Count == 0)
            {
                return ApiProblems.NotFound(
                    $"no known device of group '{group}' for model '{name}': the fleet learns a group's members from their acks to a rollout stage that targeted it");
            }

            query = query with { Devices = members };
        }

        var comparison = await comparisons.CompareModelAsync(query, context.RequestAborted).ConfigureAwait(false);
        return comparison is null
            ? ApiProblems.NotFound($"no device reported model '{name}'{Scope(query)}")
            : Results.Json(comparison.ToApi(query.Device, group), FleetApiJsonContext.Default.ApiModelComparison);
    }

    private static string Scope(ModelComparisonQuery query) =>
        (query.Fleet is null ? string.Empty : $" in fleet '{query.Fleet}'") + (query.Device is null ? string.Empty : $" on device '{query.Device}'");
}

using DataCentric.Edge.FleetService.Models;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>The model endpoints: the fleet's view of one model and its staged rollouts.</summary>
internal static class ModelApiRegistration
{
    public static IServiceCollection AddModelApi(this IServiceCollection services)
    {
        services.AddSingleton<ModelEndpoints>();
        services.AddSingleton<ModelCompareEndpoint>();
        services.AddSingleton<ModelRollouts>();
        services.AddSingleton<RolloutEndpoints>();
        return services;
    }

    public static RouteGroupBuilder MapModelApi(this RouteGroupBuilder api)
    {
        api.MapGet("/models/{name}", ApiEndpoint.For<ModelEndpoints>(ApiRole.Viewer, (e, c) => e.GetAsync(c)));
        api.MapGet("/models/{name}/compare", ApiEndpoint.For<ModelCompareEndpoint>(ApiRole.Viewer, (e, c) => e.GetAsync(c)));
        api.MapGet("/models/{name}/rollouts", ApiEndpoint.For<RolloutEndpoints>(ApiRole.Viewer, (e, c) => e.ListAsync(c)));
        api.MapGet("/models/{name}/rollouts/canaries", ApiEndpoint.For<RolloutEndpoints>(ApiRole.Viewer, (e, c) => e.CanariesAsync(c)));
        api.MapGet("/models/{name}/rollouts/{id}", ApiEndpoint.For<RolloutEndpoints>(ApiRole.Viewer, (e, c) => e.GetAsync(c)));
        api.MapPost("/models/{name}/rollouts", ApiEndpoint.For<RolloutEndpoints>(ApiRole.Operator, (e, c) => e.StartAsync(c)));
        api.MapPost("/models/{name}/rollouts/{id}/promote", ApiEndpoint.For<RolloutEndpoints>(ApiRole.Operator, (e, c) => e.PromoteAsync(c)));
        api.MapPost("/models/{name}/rollouts/{id}/halt", ApiEndpoint.For<RolloutEndpoints>(ApiRole.Operator, (e, c) => e.HaltAsync(c)));
        return api;
    }
}

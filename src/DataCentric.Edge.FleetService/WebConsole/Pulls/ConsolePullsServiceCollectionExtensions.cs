using DataCentric.Edge.FleetService.Api;

namespace DataCentric.Edge.FleetService.WebConsole.Pulls;

/// <summary>The pull page's services and endpoints (part of <c>AddFleetConsole</c>).</summary>
internal static class ConsolePullsServiceCollectionExtensions
{
    public static IServiceCollection AddConsolePulls(this IServiceCollection services)
    {
        services.AddSingleton<PullProgressReader>();
        services.AddSingleton<ConsolePullEndpoints>();
        return services;
    }

    public static RouteGroupBuilder MapConsolePulls(this RouteGroupBuilder api)
    {
        api.MapGet("/console/pulls", ApiEndpoint.For<ConsolePullEndpoints>(ApiRole.Viewer, (e, c) => e.ListAsync(c)));
        api.MapPost("/console/pulls", ApiEndpoint.For<ConsolePullEndpoints>(ApiRole.Operator, (e, c) => e.AddAsync(c)));
        api.MapGet("/console/pulls/events", ApiEndpoint.For<ConsolePullEndpoints>(ApiRole.Viewer, (e, c) => e.StreamAsync(c)));
        return api;
    }
}

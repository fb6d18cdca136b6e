using DataCentric.Edge.FleetService.Api;

namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>
/// The Models page's own endpoint (called by <see cref="ConsoleServiceCollectionExtensions"/>). The page reads
/// the model API (<c>/api/models/{name}</c>, its rollouts) and the device feed; only a device's rollback is new.
/// </summary>
internal static class ConsoleModelsServiceCollectionExtensions
{
    public static IServiceCollection AddConsoleModels(this IServiceCollection services) => services.AddSingleton<ModelRollbackEndpoint>();

    /// <summary>An operator's state change; bearer tokens only and a JSON body, so no other site can forge it.</summary>
    public static RouteGroupBuilder MapConsoleModels(this RouteGroupBuilder api)
    {
        api.MapPost("/console/devices/{fleet}/{device}/models/{name}/rollback", ApiEndpoint.For<ModelRollbackEndpoint>(ApiRole.Operator, (e, c) => e.RollbackAsync(c)));
        return api;
    }
}

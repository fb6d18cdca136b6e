using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.FleetService.Api;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>
/// The Models page's own endpoint (called by <see cref="ConsoleServiceCollectionExtensions"/>). The page reads
/// the model API (<c>/api/models/{name}</c>, its rollouts) and the device feed; only a device's rollback is new.
/// </summary>
internal static class ConsoleModelsServiceCollectionExtensions
{
    public static ConfigSection<ConsoleModelOptions> Section { get; } = new(ConsoleModelOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static IServiceCollection AddConsoleModels(this IServiceCollection services, IConfiguration configuration)
    {
        Section.AddOptions(services, configuration);
        services.AddSingleton<IValidateOptions<ConsoleModelOptions>, ConsoleModelOptionsValidator>();
        services.AddOptions<ConsoleModelOptions>().ValidateOnStart();
        services.AddSingleton<ModelProposals>();
        services.AddSingleton<ModelProposalEndpoints>();
        return services.AddSingleton<ModelRollbackEndpoint>();
    }

    /// <summary>An operator's state change; bearer tokens only and a JSON body, so no other site can forge it.</summary>
    public static RouteGroupBuilder MapConsoleModels(this RouteGroupBuilder api)
    {
        api.MapPost("/console/devices/{fleet}/{device}/models/{name}/rollback", ApiEndpoint.For<ModelRollbackEndpoint>(ApiRole.Operator, (e, c) => e.RollbackAsync(c)));
        api.MapGet("/console/models/proposals", ApiEndpoint.For<ModelProposalEndpoints>(ApiRole.Viewer, (e, c) => e.ListAsync(c)));

        // The body is the ONNX file (application/octet-stream: no cross-site form sends it) and a bearer token.
        api.MapPost("/console/models/proposals", ApiEndpoint.For<ModelProposalEndpoints>(ApiRole.Operator, (e, c) => e.ProposeAsync(c)));
        api.MapPost("/console/models/proposals/{proposalId}/approve", ApiEndpoint.For<ModelProposalEndpoints>(ApiRole.Operator, (e, c) => e.ApproveAsync(c)));
        api.MapPost("/console/models/proposals/{proposalId}/reject", ApiEndpoint.For<ModelProposalEndpoints>(ApiRole.Operator, (e, c) => e.RejectAsync(c)));
        return api;
    }
}

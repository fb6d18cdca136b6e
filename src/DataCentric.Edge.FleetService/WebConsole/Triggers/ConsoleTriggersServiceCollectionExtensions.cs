using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.FleetService.Api;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>The Triggers page's and editor's services and endpoints (called by <see cref="ConsoleServiceCollectionExtensions"/>).</summary>
internal static class ConsoleTriggersServiceCollectionExtensions
{
    public static ConfigSection<ConsoleTriggerOptions> Section { get; } = new(ConsoleTriggerOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static IServiceCollection AddConsoleTriggers(this IServiceCollection services, IConfiguration configuration)
    {
        Section.AddOptions(services, configuration);
        services.AddSingleton<IValidateOptions<ConsoleTriggerOptions>, ConsoleTriggerOptionsValidator>();
        services.AddOptions<ConsoleTriggerOptions>().ValidateOnStart();
        services.AddSingleton<TriggerSignalSources>();
        services.AddSingleton<TriggerEditorEndpoints>();
        services.AddSingleton<ClipBacktest>();
        services.AddSingleton<BacktestQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<BacktestQueue>());
        services.AddSingleton<BacktestEndpoints>();
        services.AddSingleton<TriggerProposals>();
        services.AddSingleton<TriggerProposalEndpoints>();
        return services;
    }

    /// <summary>
    /// Reads need a viewer; every state change (propose, approve, reject, rollback) an operator. Validation and
    /// backtests change nothing stored, so a viewer may run them. Bearer tokens only: no cookie, nothing to forge.
    /// </summary>
    public static RouteGroupBuilder MapConsoleTriggers(this RouteGroupBuilder api)
    {
        api.MapGet("/console/triggers/signal-sources", ApiEndpoint.For<TriggerEditorEndpoints>(ApiRole.Viewer, (e, c) => e.SignalSourcesAsync(c)));
        api.MapPost("/console/triggers/validate", ApiEndpoint.For<TriggerEditorEndpoints>(ApiRole.Viewer, (e, c) => e.ValidateAsync(c)));
        api.MapPost("/console/triggers/backtests", ApiEndpoint.For<BacktestEndpoints>(ApiRole.Viewer, (e, c) => e.StartAsync(c)));
        api.MapGet("/console/triggers/backtests/{backtestId}", ApiEndpoint.For<BacktestEndpoints>(ApiRole.Viewer, (e, c) => e.GetAsync(c)));
        api.MapGet("/console/triggers/backtests/{backtestId}/events", ApiEndpoint.For<BacktestEndpoints>(ApiRole.Viewer, (e, c) => e.StreamAsync(c)));
        api.MapGet("/console/triggers/proposals", ApiEndpoint.For<TriggerProposalEndpoints>(ApiRole.Viewer, (e, c) => e.ListAsync(c)));
        api.MapPost("/console/triggers/proposals", ApiEndpoint.For<TriggerProposalEndpoints>(ApiRole.Operator, (e, c) => e.ProposeAsync(c)));
        api.MapPost("/console/triggers/proposals/{proposalId}/approve", ApiEndpoint.For<TriggerProposalEndpoints>(ApiRole.Operator, (e, c) => e.ApproveAsync(c)));
        api.MapPost("/console/triggers/proposals/{proposalId}/reject", ApiEndpoint.For<TriggerProposalEndpoints>(ApiRole.Operator, (e, c) => e.RejectAsync(c)));
        api.MapPost("/console/devices/{fleet}/{device}/triggers/rollback", ApiEndpoint.For<TriggerProposalEndpoints>(ApiRole.Operator, (e, c) => e.RollbackAsync(c)));
        return api;
    }
}

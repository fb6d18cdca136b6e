using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Pipeline;

internal static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// What joins the stages: the channels between them, the metrics and events they report, the clip
    /// metadata, the active trigger set (compiled at first use against every signal the sources and
    /// models declare), the trigger engine that follows it (whose counters the fleet report and the
    /// metrics endpoint both read) and the recent-window recorder.
    /// </summary>
    public static IServiceCollection AddPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSections([AgentConfiguration.Pipeline], configuration);
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton<PipelineEvents>();
        services.AddSingleton<PipelineChannels>();
        services.AddSingleton<ClipMetadata>();
        services.AddSingleton(sp => TriggerSetLoader.LoadActive(sp.Options<AgentOptions>(), sp.GetRequiredService<SignalBus>(), sp.GetServices<ISignalSource>(), sp.GetRequiredService<IInferenceEngine>()));
        services.AddSingleton(sp => new TriggerEngine(
            sp.GetRequiredService<ActiveTriggerSet>(), sp.GetRequiredService<SignalBus>(), sp.GetRequiredService<MonotonicClock>(),
            logger: sp.GetRequiredService<ILogger<TriggerEngine>>()));
        services.AddSingleton<RingWindowRecorder>();
        services.AddSingleton<IRecentWindowRecorder>(sp => sp.GetRequiredService<RingWindowRecorder>());
        return services;
    }
}

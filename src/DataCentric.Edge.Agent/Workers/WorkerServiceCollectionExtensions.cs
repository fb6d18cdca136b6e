using DataCentric.Edge.Agent.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Workers;

internal static class WorkerServiceCollectionExtensions
{
    /// <summary>One worker per stage. They start in this order and stop in reverse: consumers before producers, so nothing produced is left unconsumed at stop.</summary>
    public static IServiceCollection AddStageWorkers(this IServiceCollection services)
    {
        // Not a stage: first, so the collector's settings head the log.
        services.AddHostedService<GarbageCollectorSettingsLog>();
        services.AddHostedService<RemoteConfigWorker>();
        services.AddHostedService<CommandWorker>();
        services.AddHostedService<UploadWorker>();
        services.AddHostedService<TriggerCountersWorker>();
        services.AddHostedService<StorageWorker>();
        services.AddHostedService<RecorderWorker>();
        services.AddHostedService<TriggerWorker>();
        services.AddHostedService<InferenceWorker>();
        services.AddHostedService<SignalSourceWorker>();
        services.AddHostedService<FrameSourceWorker>();
        services.AddHostedService<StartupPagesRelease>();
        return services;
    }
}

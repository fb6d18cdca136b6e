using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Uplink.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>
/// Runs the model release receiver: signed releases come in on the device's MQTT session (which the
/// upload worker keeps connected), are downloaded into staging and handed to the model activator.
/// Stopping keeps a transfer's staging folder, so the next start resumes it. The receiver first
/// reports the releases the activator took out of service as the models loaded.
/// </summary>
internal sealed class ModelReleaseWorker(ModelReleaseReceiver receiver) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => receiver.RunAsync(stoppingToken);
}

internal static class ModelReleaseWorkerServiceCollectionExtensions
{
    /// <summary>The receiver, checked against the configured adapters (unless the composition registered its own check), and its worker.</summary>
    public static IServiceCollection AddModelReleaseWorker(this IServiceCollection services)
    {
        services.TryAddSingleton<IModelContractCheck>(sp => new ConfiguredModelContract([.. sp.Options<InferenceOptions>().Models]));
        services.AddModelReleases();
        services.AddHostedService<ModelReleaseWorker>();
        return services;
    }
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Inference.Activation;
using DataCentric.Edge.Uplink.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>
/// Runs the model release receiver: signed releases come in on the device's MQTT session (which the
/// upload worker keeps connected), are downloaded into staging and handed to the model activator.
/// Stopping keeps a transfer's staging folder, so the next start resumes it. First it reports the
/// releases this start took out of service (the models load before the workers start).
/// </summary>
internal sealed class ModelReleaseWorker(ModelReleaseReceiver receiver, IServiceProvider services) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The models choose their files (and any restore) as they load.
        _ = services.GetRequiredService<ShadowModelSet>();
        if (services.GetService<ReleasedModels>() is { } released)
        {
            foreach (var restored in released.RestoredAtStart)
            {
                var active = restored.ActiveSha256 is { } sha ? new RunningModel(restored.ActiveVersion, sha) : null;
                await receiver.ReportRestoredAtStartAsync(
                    restored.Name, restored.Version, restored.Sha256, restored.Outcome.Failure ?? ModelActivationFailure.LoadFailed,
                    restored.Outcome.Message ?? "taken out of service at start", active, stoppingToken).ConfigureAwait(false);
            }
        }

        await receiver.RunAsync(stoppingToken).ConfigureAwait(false);
    }
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

using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Device.Inference.Activation;

internal static class ModelActivationServiceCollectionExtensions
{
    /// <summary>Model releases: the files each model loads at start (<see cref="ReleasedModels"/>), the <see cref="IModelActivator"/> and the clean-stop record.</summary>
    public static IServiceCollection AddModelActivation(this IServiceCollection services, Func<IServiceProvider, ModelActivationSettings> settings, string modelDirectory)
    {
        services.AddSingleton(settings);
        services.AddSingleton(sp => new ReleasedModels(sp.GetRequiredService<ModelActivationSettings>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ReleasedModels>>()));
        services.AddSingleton(sp => new ModelActivator(
            sp.GetRequiredService<ShadowModelSet>(), sp.GetRequiredService<ReleasedModels>(), sp.GetRequiredService<ModelActivationSettings>(),
            modelDirectory, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ModelActivator>>()));
        services.AddSingleton<IModelActivator>(sp => sp.GetRequiredService<ModelActivator>());
        services.AddHostedService(sp => new CleanStopRecorder(sp.GetRequiredService<ReleasedModels>(), sp));
        return services;
    }
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Inference.Activation;
using DataCentric.Edge.Device.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Device;

public static class DeviceServiceCollectionExtensions
{
    /// <summary>The device's options, its sources (<see cref="DeviceSources"/>) and the shadow models, loaded from <paramref name="modelDirectory"/>.</summary>
    /// <param name="modelActivation">Given, models run their released files and releases can be activated (<see cref="IModelActivator"/>).</param>
    public static IServiceCollection AddDevice(this IServiceCollection services, IConfiguration configuration, string modelDirectory, Func<IServiceProvider, ModelActivationSettings>? modelActivation = null)
    {
        services.AddSections(DeviceConfiguration.Sections, configuration);
        services.AddDeviceSources(configuration);
        if (modelActivation is not null)
        {
            services.AddModelActivation(modelActivation, modelDirectory);
        }

        services.AddSingleton(sp => ShadowModelSet.Load(
            sp.Options<InferenceOptions>(), modelDirectory, sp.GetRequiredService<ILogger<ShadowModelSet>>(),
            Path.GetFullPath(sp.GetService<IOptions<AgentOptions>>()?.Value.DataDirectory ?? "data"),
            sp.GetService<ReleasedModels>() is { } released ? released.PathAtStart : null));
        services.AddSingleton<IInferenceEngine>(sp => sp.GetRequiredService<ShadowModelSet>());
        return services;
    }
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Device;

public static class DeviceServiceCollectionExtensions
{
    /// <summary>The device's options, its sources (<see cref="DeviceSources"/>) and the shadow models, loaded from <paramref name="modelDirectory"/>.</summary>
    public static IServiceCollection AddDevice(this IServiceCollection services, IConfiguration configuration, string modelDirectory)
    {
        services.AddSections(DeviceConfiguration.Sections, configuration);
        services.AddDeviceSources(configuration);
        services.AddSingleton(sp => ShadowModelSet.Load(
            sp.Options<InferenceOptions>(), modelDirectory, sp.GetRequiredService<ILogger<ShadowModelSet>>(),
            Path.GetFullPath(sp.GetService<IOptions<AgentOptions>>()?.Value.DataDirectory ?? "data")));
        services.AddSingleton<IInferenceEngine>(sp => sp.GetRequiredService<ShadowModelSet>());
        return services;
    }
}

using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Health;

internal static class HealthServiceCollectionExtensions
{
    /// <summary>The device status registry, the device node probe and the loopback metrics endpoint.</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddSingleton<DeviceStatusRegistry>();
        services.AddSingleton<IDeviceStatusReporter>(sp => sp.GetRequiredService<DeviceStatusRegistry>());
        services.AddSingleton<HealthSampler>();
        services.AddHostedService<DeviceNodeProbe>();
        services.AddHostedService<MetricsEndpoint>();
        return services;
    }
}

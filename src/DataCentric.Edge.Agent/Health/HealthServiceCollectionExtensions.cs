using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Health;

internal static class HealthServiceCollectionExtensions
{
    /// <summary>The component health registry, the device node probe, the health summary for the status message and the loopback metrics endpoint.</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSections([AgentConfiguration.Health], configuration);
        services.AddSingleton<ComponentHealthRegistry>();
        services.AddSingleton<IHealthReporter>(sp => sp.GetRequiredService<ComponentHealthRegistry>());
        services.AddSingleton<HealthSampler>();
        services.AddSingleton<IHealthSummarySource>(sp => sp.GetRequiredService<HealthSampler>());
        services.AddHostedService<SourceHealthBridge>();
        services.AddHostedService<DeviceNodeProbe>();
        services.AddHostedService<MetricsEndpoint>();
        services.AddHostedService<StatusRefresher>();
        return services;
    }
}

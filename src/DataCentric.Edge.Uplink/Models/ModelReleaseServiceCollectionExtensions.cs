using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Uplink.Models;

public static class ModelReleaseServiceCollectionExtensions
{
    /// <summary>
    /// The device's model release receiver (<see cref="ModelReleaseReceiver"/>), checked with the
    /// trigger sets' pinned keys and groups (<c>RemoteConfig</c>) and the adapters'
    /// <see cref="IModelContractCheck"/>, handing releases to the <see cref="IModelActivator"/> when
    /// one is registered (without one every release is refused, <c>noActivator</c>). Its state lives
    /// in <c>ModelReleases:StateDirectory</c> under <c>Agent:DataDirectory</c>.
    /// </summary>
    public static IServiceCollection AddModelReleases(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.Options<ModelReleaseOptions>();
            var remote = sp.Options<RemoteConfigOptions>();
            var agent = sp.Options<AgentOptions>();
            var device = new ModelReleaseDevice(
                agent.Fleet, agent.DeviceId, [.. remote.Groups], FleetKeys.LoadTrusted(remote.TrustedKeyPaths.Select(p => Path.GetFullPath(p, AppContext.BaseDirectory))),
                typeof(ModelReleaseReceiver).Assembly.GetName().Version ?? new Version(0, 0), options.MaxModelBytes, sp.GetRequiredService<IModelContractCheck>());
            return new ModelReleaseReceiver(
                sp.GetRequiredService<DeviceConnection>(), device, options, Path.Combine(Path.GetFullPath(agent.DataDirectory), options.StateDirectory),
                sp.GetService<IModelActivator>(), new ModelNetworkPolicy(options.WifiOnly, [.. options.AllowedInterfaces]),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ModelReleaseReceiver>>());
        });
        return services;
    }
}

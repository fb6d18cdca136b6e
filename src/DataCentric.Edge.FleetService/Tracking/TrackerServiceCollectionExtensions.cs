using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.FleetService.Catalog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Tracking;

public static class TrackerServiceCollectionExtensions
{
    /// <summary>The <c>Tracker</c> section, bound by the source-generated binder (ConfigSection).</summary>
    public static ConfigSection<TrackerOptions> Section { get; } =
        new(TrackerOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    /// <summary>The device tracker of the <c>Tracker</c> section as a hosted service; add it after the catalog (hosted services start in order).</summary>
    public static IServiceCollection AddDeviceTracker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        Section.AddOptions(services, configuration);
        services.AddSingleton<IValidateOptions<TrackerOptions>, TrackerOptionsValidator>();
        services.AddOptions<TrackerOptions>().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new DeviceTracker(
            sp.GetRequiredService<IFleetIngest>(),
            sp.GetRequiredService<IOptions<TrackerOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DeviceTracker>>()));
        services.AddHostedService(sp => sp.GetRequiredService<DeviceTracker>());
        return services;
    }
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.ObjectStore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Receiving;

public static class ReceiverServiceCollectionExtensions
{
    /// <summary>The <c>Receiver</c> section, bound by the source-generated binder (ConfigSection).</summary>
    public static ConfigSection<ReceiverOptions> Section { get; } =
        new(ReceiverOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    /// <summary>The clip receiver of the <c>Receiver</c> section as a hosted service; add it after the catalog and the object store.</summary>
    public static IServiceCollection AddClipReceiver(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        Section.AddOptions(services, configuration);
        services.AddSingleton<IValidateOptions<ReceiverOptions>, ReceiverOptionsValidator>();
        services.AddOptions<ReceiverOptions>().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ClipReceiverService(
            sp.GetRequiredService<IFleetCatalog>(),
            sp.GetRequiredService<IClipObjectStore>(),
            sp.GetRequiredService<IOptions<ReceiverOptions>>().Value,
            sp.GetRequiredService<IOptions<ObjectStoreOptions>>().Value.KeyPrefix,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ClipReceiverService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<ClipReceiverService>());
        return services;
    }
}

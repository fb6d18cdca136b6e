using Amazon.S3;
using DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;
using DataCentric.Edge.FleetService.ObjectStore.S3;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.ObjectStore;

public static class ObjectStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IClipObjectStore"/> as the <see cref="ObjectStoreOptions.SectionName"/>
    /// section says: the local folder (the default) or S3. The section is validated at start.
    /// </summary>
    public static IServiceCollection AddClipObjectStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ObjectStoreOptions>()
            .Bind(configuration.GetSection(ObjectStoreOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ObjectStoreOptions>, ObjectStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAmazonS3>(sp => S3ClientFactory.Create(sp.GetRequiredService<IOptions<ObjectStoreOptions>>().Value.S3));
        services.TryAddSingleton(Create);
        return services;
    }

    private static IClipObjectStore Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ObjectStoreOptions>>().Value;
        IClipObjectStore store = options.Kind switch
        {
            ObjectStoreKind.S3 => new S3ClipObjectStore(
                services.GetRequiredService<IAmazonS3>(), options.S3, services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<S3ClipObjectStore>>()),
            _ => new DirectoryClipObjectStore(
                options.Directory, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<DirectoryClipObjectStore>>()),
        };
        ObjectStoreLog.Using(services.GetRequiredService<ILogger<IClipObjectStore>>(), store.ToString() ?? options.Kind.ToString());
        return store;
    }
}

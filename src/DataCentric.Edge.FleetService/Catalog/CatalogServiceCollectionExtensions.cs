using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.FleetService.Catalog.LiteDb;
using DataCentric.Edge.FleetService.Catalog.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DataCentric.Edge.FleetService.Catalog;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>The <c>Catalog</c> section, bound by the source-generated binder (ConfigSection).</summary>
    public static ConfigSection<FleetCatalogOptions> Section { get; } =
        new(FleetCatalogOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    /// <summary>
    /// The fleet catalog of the <c>Catalog</c> section as <see cref="IFleetCatalog"/> and its parts,
    /// a singleton the container disposes, readied at start (<see cref="FleetCatalogStartup"/>).
    /// </summary>
    public static IServiceCollection AddFleetCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        Section.AddOptions(services, configuration);
        services.AddSingleton<IValidateOptions<FleetCatalogOptions>, FleetCatalogOptionsValidator>();
        services.AddOptions<FleetCatalogOptions>().ValidateOnStart();

        services.AddSingleton(sp => NpgsqlDataSource.Create(Options(sp).ConnectionString!));
        services.AddSingleton<PostgresMigrator>();
        services.AddSingleton<IFleetCatalog>(sp => Options(sp).Provider switch
        {
            FleetCatalogProvider.Postgres => new PostgresFleetCatalog(sp.GetRequiredService<NpgsqlDataSource>()),
            _ => new LiteDbFleetCatalog(Options(sp).EmbeddedPath),
        });
        services.AddSingleton<IFleetIngest>(sp => sp.GetRequiredService<IFleetCatalog>());
        services.AddSingleton<IFleetQueries>(sp => sp.GetRequiredService<IFleetCatalog>());
        services.AddSingleton<IPullRequests>(sp => sp.GetRequiredService<IFleetCatalog>());
        services.AddSingleton<IModelReleases>(sp => sp.GetRequiredService<IFleetCatalog>());
        services.AddSingleton<Staging.IClipStaging>(sp => sp.GetRequiredService<IFleetCatalog>());
        services.AddSingleton<IDatasetReports>(sp => sp.GetRequiredService<IFleetCatalog>());
        services.AddSingleton<Comparison.IModelComparisons>(sp => sp.GetRequiredService<IFleetCatalog>());
        services.AddHostedService<FleetCatalogStartup>();
        return services;
    }

    private static FleetCatalogOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<FleetCatalogOptions>>().Value;
}

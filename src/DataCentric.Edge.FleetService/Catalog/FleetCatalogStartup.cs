using DataCentric.Edge.FleetService.Catalog.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// Readies the catalog before anything uses it: migrates PostgreSQL (refusing a newer schema) or
/// opens the LiteDB file (refusing one another process holds). Either failure stops the start, so
/// dce-fleet exits non-zero. Hosted services start in order: add the catalog before the receivers.
/// </summary>
internal sealed partial class FleetCatalogStartup(
    IOptions<FleetCatalogOptions> options,
    IServiceProvider services,
    ILogger<FleetCatalogStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var provider = options.Value.Provider;
        var version = provider == FleetCatalogProvider.Postgres
            ? await services.GetRequiredService<PostgresMigrator>().MigrateAsync(cancellationToken).ConfigureAwait(false)
            : (int?)null;
        _ = services.GetRequiredService<IFleetCatalog>();
        LogReady(logger, provider, version);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "Fleet catalog ready: {Provider}, schema version {SchemaVersion}")]
    private static partial void LogReady(ILogger logger, FleetCatalogProvider provider, int? schemaVersion);
}

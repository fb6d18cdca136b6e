using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Buffer;

public static class BufferServiceCollectionExtensions
{
    /// <summary>
    /// The clip buffer in <c>Agent:DataDirectory</c>: the directory lock (taken first), the LiteDB
    /// catalog, clip files as MCAP (reconciled with the catalog when first resolved), retention.
    /// </summary>
    public static IServiceCollection AddBuffer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSections(BufferConfiguration.Sections, configuration);
        services.AddSingleton(sp => DataDirectoryLock.Acquire(DataDirectory(sp)));
        services.AddSingleton<IClipCatalog>(sp =>
        {
            sp.GetRequiredService<DataDirectoryLock>();
            var catalog = new LiteDbClipCatalog(Path.Combine(DataDirectory(sp), "catalog.db"), sp.Options<StorageOptions>().MaxCatalogWritesBetweenCheckpoints);
            if (catalog.UnreadableLogSetAside is { } setAside)
            {
                Log(sp).CatalogLogSetAside(setAside);
            }

            return catalog;
        });
        // The catalog's parts, for the stages that use only one (IClipCatalog).
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<IClipCatalog>());
        services.AddSingleton<IUploadOutbox>(sp => sp.GetRequiredService<IClipCatalog>());
        services.AddSingleton<IClipQueries>(sp => sp.GetRequiredService<IClipCatalog>());
        services.AddSingleton<IClipFileIndex>(sp => sp.GetRequiredService<IClipCatalog>());
        services.AddSingleton<IConfigHistory>(sp => sp.GetRequiredService<IClipCatalog>());
        services.AddSingleton<IClipWriter>(_ => new McapClipWriter());
        services.AddSingleton<IClipReader>(_ => new McapClipReader());
        services.AddSingleton(sp =>
        {
            var catalog = sp.GetRequiredService<IClipFileIndex>();
            var time = sp.GetRequiredService<TimeProvider>();
            var store = new ClipFileStore(Path.Combine(DataDirectory(sp), "clips"), sp.GetRequiredService<IClipWriter>(), catalog, time);
            ClipStoreReconciler.ReconcileAndLog(store, catalog, sp.GetRequiredService<IClipReader>(), time, Log(sp));
            return store;
        });
        services.AddSingleton<IClipFileLocator>(sp => sp.GetRequiredService<ClipFileStore>());
        services.AddSingleton(sp => new ClipRetention(
            sp.GetRequiredService<ClipFileStore>(), sp.GetRequiredService<IClipFileIndex>(), sp.Options<StorageOptions>(), sp.GetRequiredService<TimeProvider>(), Log(sp)));
        services.AddSingleton<IPinBudget>(sp => new PinBudget(sp.GetRequiredService<IClipFileIndex>(), sp.Options<StorageOptions>()));
        services.AddSingleton(sp => new ClipBuffer(
            sp.GetRequiredService<ClipFileStore>(), sp.GetRequiredService<IClipFileIndex>(), sp.GetRequiredService<ClipRetention>(), sp.Options<StorageOptions>(), Log(sp)));
        return services;
    }

    private static ILogger Log(IServiceProvider sp) => sp.GetRequiredService<ILoggerFactory>().CreateLogger(StorageLog.Category);

    private static string DataDirectory(IServiceProvider sp) => Path.GetFullPath(sp.Options<AgentOptions>().DataDirectory);
}

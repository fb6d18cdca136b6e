namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>What the console, the HTTP API and edgectl read: pages newest first, in a stable order.</summary>
public interface IFleetQueries
{
    Task<CatalogClip?> GetClipAsync(string clipId, CancellationToken cancellationToken);

    /// <summary>Clips overlapping the query's window, by start time then clip id, newest first.</summary>
    Task<CatalogPage<CatalogClip>> ListClipsAsync(ClipQuery query, CancellationToken cancellationToken);

    /// <summary>Events in the query's window, by wall clock then event id, newest first.</summary>
    Task<CatalogPage<CatalogEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>Every device of <paramref name="fleet"/> (of every fleet when null), by fleet then device.</summary>
    Task<IReadOnlyList<CatalogDevice>> ListDevicesAsync(string? fleet, CancellationToken cancellationToken);

    /// <summary>Devices a page at a time, by fleet then device (keyset paging, as clips and events).</summary>
    Task<CatalogPage<CatalogDevice>> ListDevicePageAsync(DeviceQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Per-bucket counts in the query's window, by bucket, device, trigger and kind: each report adds its
    /// difference from the previous one of the same startedAt; the first of a startedAt counts from zero.
    /// </summary>
    Task<IReadOnlyList<TriggerCount>> ListTriggerCountsAsync(TriggerCountQuery query, CancellationToken cancellationToken);
}

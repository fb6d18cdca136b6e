using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>A trigger event a device reported, with the clip it led to once known.</summary>
public sealed record CatalogEvent(
    string EventId,
    string Fleet,
    string Device,
    IReadOnlyList<string> TriggerIds,
    DateTimeOffset WallClock,
    int Priority,
    bool DryRun,
    int TriggerSetVersion,
    string? ClipId,
    DateTimeOffset ReceivedAt)
{
    /// <summary>Checks every field (a clear <see cref="ArgumentException"/> naming it) and rounds times as the catalog stores them.</summary>
    internal static CatalogEvent From(string fleet, string device, EventSummary summary, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new CatalogEvent(
            CatalogGuard.Id(summary.EventId, nameof(summary.EventId)),
            CatalogGuard.Id(fleet, nameof(fleet)),
            CatalogGuard.Id(device, nameof(device)),
            CatalogGuard.Ids(summary.TriggerIds, nameof(summary.TriggerIds)),
            CatalogGuard.Time(summary.WallClock),
            summary.Priority,
            summary.DryRun,
            summary.TriggerSetVersion,
            CatalogGuard.OptionalId(summary.ClipId, nameof(summary.ClipId)),
            CatalogGuard.Time(receivedAt));
    }
}

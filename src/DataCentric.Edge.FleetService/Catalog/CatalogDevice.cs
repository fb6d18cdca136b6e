using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>A device as its latest status left it.</summary>
/// <param name="State">online, offline (also its Last Will) or paused.</param>
/// <param name="TriggerSetVersion">The active trigger set; kept from an earlier status when the latest (a Last Will) has none.</param>
/// <param name="StatusAt">The device's own time on the latest status (null on a Last Will).</param>
/// <param name="LastSeen">When the fleet received the latest status (the fleet's clock).</param>
public sealed record CatalogDevice(
    string Fleet,
    string Device,
    string State,
    string? Detail,
    int? TriggerSetVersion,
    DateTimeOffset? StatusAt,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen)
{
    /// <summary>The device's latest trigger-set ack; null until one arrived.</summary>
    public CatalogTriggerSetAck? TriggerSetAck { get; init; }

    /// <summary>Per model name, the device's latest model release ack (by its time), by name.</summary>
    public IReadOnlyList<CatalogModelRelease> Models { get; init; } = [];

    /// <summary>The device as <paramref name="status"/> describes it, first and last seen at <paramref name="receivedAt"/>.</summary>
    internal static CatalogDevice From(DeviceStatus status, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(status);
        var seen = CatalogGuard.Time(receivedAt);
        return new CatalogDevice(
            CatalogGuard.Id(status.Fleet, nameof(status.Fleet)),
            CatalogGuard.Id(status.Device, nameof(status.Device)),
            CatalogGuard.Id(status.State, nameof(status.State)),
            CatalogGuard.Text(status.Detail, nameof(status.Detail)),
            status.TriggerSetVersion,
            CatalogGuard.Time(status.At),
            seen,
            seen);
    }
}

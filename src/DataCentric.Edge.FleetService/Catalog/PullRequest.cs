namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>A time window of one device an engineer asked for, and how far the pull got.</summary>
public sealed record PullRequest(
    string PullId,
    string Fleet,
    string Device,
    DateTimeOffset WindowFrom,
    DateTimeOffset WindowTo,
    int Priority,
    PullState State,
    string? Detail,
    DateTimeOffset RequestedAt,
    DateTimeOffset UpdatedAt)
{
    internal PullRequest Validated()
    {
        CatalogGuard.Id(PullId, nameof(PullId));
        CatalogGuard.Id(Fleet, nameof(Fleet));
        CatalogGuard.Id(Device, nameof(Device));
        CatalogGuard.State(State, nameof(State));
        var from = CatalogGuard.Time(WindowFrom);
        var to = CatalogGuard.Time(WindowTo);
        if (to <= from)
        {
            throw new ArgumentException($"Pull '{PullId}' has an empty or reversed window ({from:O} to {to:O}).", nameof(WindowTo));
        }

        return this with
        {
            Detail = CatalogGuard.Text(Detail, nameof(Detail)),
            WindowFrom = from,
            WindowTo = to,
            RequestedAt = CatalogGuard.Time(RequestedAt),
            UpdatedAt = CatalogGuard.Time(UpdatedAt),
        };
    }
}

/// <summary>Where a pull stands; stored by name (camelCase), so new states need no migration.</summary>
public enum PullState
{
    Requested,
    Sent,
    Completed,
    Failed,
    Cancelled,
}

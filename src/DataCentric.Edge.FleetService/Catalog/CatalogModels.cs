namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>The model-release rules both catalogs share.</summary>
internal static class CatalogModels
{
    /// <summary>The rows, or an error when the query matched more than may be returned at once.</summary>
    public static IReadOnlyList<CatalogModelRelease> Bounded(List<CatalogModelRelease> rows) =>
        rows.Count > CatalogGuard.MaxCountRows
            ? throw new ArgumentException($"more than {CatalogGuard.MaxCountRows} model release acks match; name a fleet, model or device", "name")
            : rows;

    /// <summary>The rollout with its ids and times checked, and <paramref name="expectedRevision"/> below its revision.</summary>
    public static CatalogRollout Checked(CatalogRollout rollout, long expectedRevision)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRevision);
        if (rollout.Revision <= expectedRevision)
        {
            throw new ArgumentException($"revision {rollout.Revision} must be above the expected {expectedRevision}.", nameof(rollout));
        }

        ArgumentException.ThrowIfNullOrEmpty(rollout.Document, nameof(rollout));
        return rollout with
        {
            Id = CatalogGuard.Id(rollout.Id, nameof(rollout.Id)),
            Fleet = CatalogGuard.Id(rollout.Fleet, nameof(rollout.Fleet)),
            Name = CatalogGuard.Id(rollout.Name, nameof(rollout.Name)),
            CreatedAt = CatalogGuard.Time(rollout.CreatedAt),
            UpdatedAt = CatalogGuard.Time(rollout.UpdatedAt),
        };
    }
}

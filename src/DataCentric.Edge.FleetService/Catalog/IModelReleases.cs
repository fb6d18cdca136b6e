namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>The devices' model release acks as the fleet view reads them, and the staged rollouts of releases.</summary>
public interface IModelReleases
{
    /// <summary>
    /// Every ack held (one per fleet, device, model name and version), by fleet, device, name and version;
    /// each filter applies when set. At most <see cref="CatalogGuard.MaxCountRows"/> rows.
    /// </summary>
    /// <exception cref="ArgumentException">A filter is not a valid id, or more rows match than may be returned.</exception>
    Task<IReadOnlyList<CatalogModelRelease>> ListModelReleasesAsync(string? fleet, string? name, string? device, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="rollout"/> when the one held has <paramref name="expectedRevision"/> (0: none held yet).
    /// </summary>
    /// <returns>False when another save came first (the caller reads again and decides again).</returns>
    Task<bool> SaveRolloutAsync(CatalogRollout rollout, long expectedRevision, CancellationToken cancellationToken);

    Task<CatalogRollout?> GetRolloutAsync(string id, CancellationToken cancellationToken);

    /// <summary>The rollouts of model <paramref name="name"/>, newest first.</summary>
    Task<IReadOnlyList<CatalogRollout>> ListRolloutsAsync(string? fleet, string name, CancellationToken cancellationToken);
}

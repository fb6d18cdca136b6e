namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>Pulls an engineer asked for (a clip or a time window of one device) and how far each got.</summary>
public interface IPullRequests
{
    /// <summary>Records a new pull; the same id again changes nothing.</summary>
    Task<CatalogWrite> AddPullAsync(PullRequest pull, CancellationToken cancellationToken);

    /// <summary>Moves a pull to <paramref name="state"/>; false when no pull has that id.</summary>
    Task<bool> SetPullStateAsync(string pullId, PullState state, string? detail, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a pull to <paramref name="state"/> only while it is in <paramref name="from"/> (a compare and set: a cancel and the
    /// dispatcher's answer cannot overwrite each other); false when no pull has that id or it is in another state.
    /// </summary>
    Task<bool> TryMovePullAsync(string pullId, PullState from, PullState state, string? detail, DateTimeOffset at, CancellationToken cancellationToken);

    Task<PullRequest?> GetPullAsync(string pullId, CancellationToken cancellationToken);

    /// <summary>Pulls of a fleet (one device's, one state's when given), oldest request first.</summary>
    Task<IReadOnlyList<PullRequest>> ListPullsAsync(string fleet, string? device, PullState? state, CancellationToken cancellationToken);
}

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// A staged model rollout as the catalog keeps it: the keys it is found by and the plan as a
/// document the fleet service writes and reads (the catalog never looks inside).
/// </summary>
/// <param name="Revision">Raised by every save; a save naming an older revision is refused (two operators promoting at once).</param>
public sealed record CatalogRollout(
    string Id, string Fleet, string Name, int Version, long Revision, string Document, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

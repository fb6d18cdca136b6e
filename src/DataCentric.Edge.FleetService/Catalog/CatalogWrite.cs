namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>What an idempotent write did.</summary>
public enum CatalogWrite
{
    /// <summary>The id was new: the row was written.</summary>
    Added,

    /// <summary>The id was known with the same identity (a replay): nothing changed.</summary>
    AlreadyPresent,

    /// <summary>
    /// The id was known with another fleet, device or content (a clip with another hash or size):
    /// nothing changed, and the caller should report it rather than acknowledge.
    /// </summary>
    Conflict,
}

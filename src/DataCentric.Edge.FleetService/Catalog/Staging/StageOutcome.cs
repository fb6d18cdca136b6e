namespace DataCentric.Edge.FleetService.Catalog.Staging;

/// <summary>What staging a manifest or a chunk did.</summary>
public enum StageOutcome
{
    /// <summary>New (or changed) and now durable.</summary>
    Staged,

    /// <summary>Already staged as it is: nothing changed.</summary>
    Duplicate,

    /// <summary>The clip is already catalogued for this device with this hash: answer the manifest "already held", drop the chunk.</summary>
    AlreadyCatalogued,

    /// <summary>
    /// It disagrees with what is held (the clip id is catalogued for another device or content, or a chunk's
    /// count differs from its staged manifest's): nothing changed; the receiver refuses and counts it.
    /// </summary>
    Conflict,
}

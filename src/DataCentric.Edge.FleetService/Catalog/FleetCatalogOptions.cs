namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>Where the fleet catalog lives: one LiteDB file (the laptop, the demo) or PostgreSQL (a fleet).</summary>
public sealed class FleetCatalogOptions
{
    public const string SectionName = "Catalog";

    public FleetCatalogProvider Provider { get; set; } = FleetCatalogProvider.Embedded;

    /// <summary>The Npgsql connection string, e.g. <c>Host=db;Database=dce;Username=dce_fleet</c>; required for <see cref="FleetCatalogProvider.Postgres"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The LiteDB file of <see cref="FleetCatalogProvider.Embedded"/> (one process only: a lock file keeps a second out).</summary>
    public string EmbeddedPath { get; set; } = "fleet-catalog.db";
}

public enum FleetCatalogProvider
{
    /// <summary>One LiteDB file, for a single dce-fleet process.</summary>
    Embedded,

    /// <summary>PostgreSQL, shared by every receiver; migrated at start.</summary>
    Postgres,
}

namespace DataCentric.Edge.FleetService.Catalog.Staging;

/// <summary>What staging holds: uploads with a manifest, chunks, and their bytes.</summary>
public sealed record StagingUsage(long Uploads, long Chunks, long Bytes);

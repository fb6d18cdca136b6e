using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Catalog.Staging;

/// <summary>A receiver's lease on a staged upload whose pieces are all in: it may assemble the clip until <see cref="LeaseUntil"/>.</summary>
public sealed record ClipClaim(StagedClip Clip, ClipManifest Manifest, string Owner, DateTimeOffset LeaseUntil);

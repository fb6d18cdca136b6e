namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>An object that exists: its length, when it was written, and its metadata.</summary>
public sealed record ClipObjectInfo(string Key, long Length, DateTimeOffset LastModified, ClipObjectMetadata Metadata);

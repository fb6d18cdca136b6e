using DataCentric.Edge.FleetService.ObjectStore.S3;

namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>Which store holds clip bytes, and the settings of each.</summary>
public sealed class ObjectStoreOptions
{
    public const string SectionName = "ObjectStore";

    /// <summary>A local folder (the laptop demo's default) or S3-compatible object storage.</summary>
    public ObjectStoreKind Kind { get; set; } = ObjectStoreKind.Directory;

    /// <summary>Put before every key (<see cref="ClipObjectKeys"/>): empty, or segments ending with '/', e.g. <c>clips/</c>.</summary>
    public string KeyPrefix { get; set; } = string.Empty;

    /// <summary>The folder of <see cref="ObjectStoreKind.Directory"/>.</summary>
    public string Directory { get; set; } = "fleet-objects";

    public S3Options S3 { get; set; } = new();

    public override string ToString() =>
        Kind == ObjectStoreKind.S3 ? $"S3 {S3}, key prefix '{KeyPrefix}'" : $"directory {Directory}, key prefix '{KeyPrefix}'";
}

public enum ObjectStoreKind
{
    Directory,
    S3,
}

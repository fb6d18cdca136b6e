namespace DataCentric.Edge.Core.Upload;

/// <summary>The retained status of a device: online, offline (also its Last Will) or paused, with why.</summary>
public sealed record DeviceStatus(string Fleet, string Device, string State, string? Detail);

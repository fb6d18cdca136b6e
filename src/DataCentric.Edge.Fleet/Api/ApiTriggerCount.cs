namespace DataCentric.Edge.Fleet.Api;

/// <summary>How many times one trigger of one device did one thing (<paramref name="Kind"/>) in one bucket of time.</summary>
public sealed record ApiTriggerCount(string Fleet, string Device, string TriggerId, DateTimeOffset BucketStart, string Kind, long Count);

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// How many times one trigger of one device did one thing (<see cref="TriggerCountKinds"/>) in the
/// bucket of time starting at <paramref name="BucketStart"/>: derived at read time from the cumulative
/// snapshots the device reported (<see cref="IFleetIngest.RecordTriggerCountersAsync"/>).
/// </summary>
public sealed record TriggerCount(string Fleet, string Device, string TriggerId, DateTimeOffset BucketStart, string Kind, long Count);

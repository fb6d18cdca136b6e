namespace DataCentric.Edge.Fleet.Api;

/// <summary>A device as its latest status left it.</summary>
/// <param name="State">online, offline or paused.</param>
public sealed record ApiDevice(
    string Fleet,
    string Device,
    string State,
    string? Detail,
    int? TriggerSetVersion,
    DateTimeOffset? StatusAt,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen);

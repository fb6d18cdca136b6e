namespace DataCentric.Edge.Fleet.Api;

/// <summary>A trigger event a device reported, with the clip it led to once known.</summary>
public sealed record ApiEvent(
    string EventId,
    string Fleet,
    string Device,
    IReadOnlyList<string> TriggerIds,
    DateTimeOffset WallClock,
    int Priority,
    bool DryRun,
    int TriggerSetVersion,
    string? ClipId,
    DateTimeOffset ReceivedAt);

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
    DateTimeOffset LastSeen)
{
    /// <summary>The device's latest trigger-set decision (its retained config/ack); null until one arrived.</summary>
    public ApiTriggerSetAck? TriggerSetAck { get; init; }

    /// <summary>The device's models (from its retained models/{name}/ack): running version and last release step, by name.</summary>
    public IReadOnlyList<ApiDeviceModel> Models { get; init; } = [];
}

/// <summary>A device's decision on a pushed trigger set.</summary>
/// <param name="Version">The version decided on; null when the envelope could not be read.</param>
/// <param name="Decision">accepted or rejected.</param>
/// <param name="Reason">Why it was rejected (the device's errors joined by "; "); null when accepted.</param>
/// <param name="ActiveVersion">The set the device runs after the decision.</param>
/// <param name="At">The device's time of the decision.</param>
public sealed record ApiTriggerSetAck(int? Version, string Decision, string? Reason, int ActiveVersion, DateTimeOffset At);

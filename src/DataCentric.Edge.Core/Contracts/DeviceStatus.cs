namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// The retained status of a device: online, offline (also its Last Will) or paused, with why; the
/// active trigger set version and the signals it knows (name:kind), so sets can be checked offline.
/// </summary>
public sealed record DeviceStatus(string Fleet, string Device, string State, string? Detail)
{
    public int? TriggerSetVersion { get; init; }

    public IReadOnlyList<string>? Signals { get; init; }

    /// <summary>The groups the device belongs to (its <c>RemoteConfig:Groups</c>); null from an agent that does not say.</summary>
    public IReadOnlyList<string>? Groups { get; init; }

    public DateTimeOffset? At { get; init; }

    /// <summary>Rates, latency, backlog, disk and every faulted component (null in the Last Will).</summary>
    public Contracts.HealthSummary? Health { get; init; }
}

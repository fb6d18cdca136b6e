namespace DataCentric.Edge.Core.Contracts;

/// <summary>Whether a piece of hardware (or a part that depends on it) is usable right now.</summary>
public enum ComponentState
{
    Ok,

    /// <summary>The device node or bus is not there; the agent runs without it and keeps looking.</summary>
    Missing,

    /// <summary>It is there but failed (open, read or configuration error).</summary>
    Faulted,
}

/// <summary>The last reported state of one component, e.g. <c>camera</c> at <c>/dev/video0</c>.</summary>
public sealed record ComponentHealth(string Component, string Device, ComponentState State, string Detail, DateTimeOffset Since);

/// <summary>
/// Where sources, models and probes report hardware faults, so the log, the metrics endpoint and
/// the status message all say precisely what is missing.
/// </summary>
public interface IHealthReporter
{
    /// <summary>Records the component's state; a repeated report of the same state changes nothing.</summary>
    void Report(string component, string device, ComponentState state, string detail);
}

using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Health;

/// <summary>
/// The latest state of every reported component. A change of state is logged once, naming the
/// component, the device and why; the health report and metrics read the current view.
/// </summary>
public sealed partial class ComponentHealthRegistry(TimeProvider timeProvider, ILogger<ComponentHealthRegistry> logger) : IHealthReporter
{
    private readonly Dictionary<string, ComponentHealth> _statuses = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Every component reported so far, by name.</summary>
    public IReadOnlyList<ComponentHealth> Current
    {
        get
        {
            lock (_gate)
            {
                return [.. _statuses.Values.OrderBy(s => s.Component, StringComparer.Ordinal)];
            }
        }
    }

    public void Report(string component, string device, ComponentState state, string detail)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(detail);
        lock (_gate)
        {
            if (_statuses.TryGetValue(component, out var old) && old.State == state && old.Device == device && old.Detail == detail)
            {
                return;
            }

            _statuses[component] = new ComponentHealth(component, device, state, detail, timeProvider.GetUtcNow());
        }

        if (state == ComponentState.Ok)
        {
            LogOk(component, device, detail);
        }
        else
        {
            LogFault(component, state, device, detail);
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "Device {Component} {State} at {Device}: {Detail}")]
    private partial void LogFault(string component, ComponentState state, string device, string detail);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Device {Component} ok at {Device}: {Detail}")]
    private partial void LogOk(string component, string device, string detail);
}

using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Core.Triggers.Engine;

/// <summary>
/// The outcome of one tick: at most one event to record (all real triggers that fired, merged)
/// and at most one dry-run event (catalogued, never recorded).
/// </summary>
public readonly record struct TriggerTick(TriggerEvent? Event, TriggerEvent? DryRunEvent);

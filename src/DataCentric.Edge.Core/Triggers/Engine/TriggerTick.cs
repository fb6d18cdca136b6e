using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Core.Triggers.Engine;

/// <summary>
/// The outcome of one tick: at most one event to record (all real triggers that fired, merged),
/// at most one dry-run event (catalogued, never recorded), and the instant the set was evaluated
/// at (the newest frame its model outputs cover; the tick's time when it reads none).
/// </summary>
public readonly record struct TriggerTick(TriggerEvent? Event, TriggerEvent? DryRunEvent, TimeSpan Instant);

using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Engine;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Core.Triggers.Backtest;

/// <summary>One recorded signal value at a monotonic time.</summary>
public readonly record struct BacktestSample(TimeSpan Time, string Signal, SignalValue Value);

/// <summary>
/// A stretch of the drive where the case really happened (e.g. the synthetic scene knows the
/// controller was wrong). <see cref="TriggerId"/> null means it applies to every trigger.
/// </summary>
public sealed record GroundTruthInterval(TimeSpan Start, TimeSpan End, string? TriggerId = null);

public sealed class BacktestOptions
{
    /// <summary>How often the engine is evaluated while replaying (the agent's tick).</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>History per signal of the replay bus (the agent's <see cref="SignalBusOptions.HistoryCapacity"/>).</summary>
    public int HistoryCapacity { get; init; } = 300;

    /// <summary>Clip size estimates, sampling randomness (seed it for repeatable results).</summary>
    public TriggerEngineOptions Engine { get; init; } = new() { Random = new Random(0) };

    public IReadOnlyList<GroundTruthInterval>? GroundTruth { get; init; }

    /// <summary>Wall-clock time of the first sample, for the events' wall-clock times.</summary>
    public DateTimeOffset WallClockAtStart { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>A fire this close before or after a ground-truth interval still counts as finding it.</summary>
    public TimeSpan MatchTolerance { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cosine distance under which a clip counts as a near-duplicate of an earlier clip of the same trigger.</summary>
    public double NearDuplicateDistance { get; init; } = 0.05;
}

/// <param name="Fires">Accepted fires, dry-run triggers included (the backtest is about what they would cost).</param>
/// <param name="Recall">Share of ground-truth intervals with a fire; null without ground truth.</param>
/// <param name="Precision">Share of fires inside a ground-truth interval; null without ground truth or fires.</param>
/// <param name="NearDuplicateShare">Share of fires whose embedding is a near-duplicate of an earlier fire; null without embeddings.</param>
public sealed record BacktestTriggerReport(
    string TriggerId,
    long Fires,
    double FiresPerHour,
    double EstimatedClipBytesPerHour,
    double? Recall,
    double? Precision,
    double? NearDuplicateShare,
    TriggerCounters Counters,
    IReadOnlyList<TimeSpan> FireTimes);

public sealed record BacktestReport(
    TimeSpan Duration,
    long Ticks,
    IReadOnlyList<BacktestTriggerReport> Triggers,
    IReadOnlyList<TriggerEvent> Events)
{
    public BacktestTriggerReport this[string triggerId] => Triggers.Single(t => t.TriggerId == triggerId);
}

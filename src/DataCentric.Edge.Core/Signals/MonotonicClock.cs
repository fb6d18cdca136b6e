namespace DataCentric.Edge.Core.Signals;

/// <summary>
/// The agent's time base: monotonic time since the clock was made, for ordering, windows and
/// cooldowns; wall-clock time only for names and reports.
/// </summary>
public sealed class MonotonicClock
{
    private readonly long _origin;

    public MonotonicClock(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeProvider = timeProvider;
        _origin = timeProvider.GetTimestamp();
        WallClockAtOrigin = timeProvider.GetUtcNow();
    }

    public TimeProvider TimeProvider { get; }

    public DateTimeOffset WallClockAtOrigin { get; }

    /// <summary>Monotonic time since the clock was made.</summary>
    public TimeSpan Now => TimeProvider.GetElapsedTime(_origin);

    /// <summary>Monotonic instant of a wall-clock time (e.g. a window an engineer asked for).</summary>
    public TimeSpan ToMonotonic(DateTimeOffset wallClock) => wallClock - WallClockAtOrigin;

    /// <summary>Wall-clock time of a monotonic instant, for names and reports only.</summary>
    public DateTimeOffset ToWallClock(TimeSpan monotonic) => WallClockAtOrigin + monotonic;
}

namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// The last N durations in a fixed ring: recording allocates nothing, percentiles are computed
/// only when someone asks (a scrape), so memory stays bounded however long the agent runs.
/// </summary>
public sealed class LatencyWindow
{
    private readonly double[] _seconds;
    private readonly Lock _gate = new();
    private long _recorded;

    public LatencyWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _seconds = new double[capacity];
    }

    /// <summary>Everything ever recorded, including what has rolled out of the window.</summary>
    public long Recorded
    {
        get
        {
            lock (_gate)
            {
                return _recorded;
            }
        }
    }

    public void Record(TimeSpan elapsed)
    {
        lock (_gate)
        {
            _seconds[_recorded % _seconds.Length] = elapsed.TotalSeconds;
            _recorded++;
        }
    }

    /// <summary>Nearest-rank percentile (0 &lt; p ≤ 1) of the window, in seconds; null while empty.</summary>
    public double? Percentile(double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        double[] copy;
        lock (_gate)
        {
            var count = (int)Math.Min(_recorded, _seconds.Length);
            if (count == 0)
            {
                return null;
            }

            copy = _seconds[..count];
        }

        Array.Sort(copy);
        var rank = (int)Math.Ceiling(p * copy.Length);
        return copy[Math.Max(rank, 1) - 1];
    }
}

namespace DataCentric.Edge.Core.Signals;

/// <summary>
/// Maps another clock's timestamps (the primary controller's) onto the agent's monotonic time.
/// Each message gives received − sent = offset + transport delay; the delay is never negative, so
/// the smallest difference over a recent window is the best estimate of the offset (the
/// minimum-delay filter NTP-style clocks use). The window bounds memory and lets the estimate
/// follow a drifting clock.
/// </summary>
public sealed class ClockOffsetEstimator
{
    private readonly TimeSpan[] _window;
    private readonly Lock _lock = new();
    private int _next;
    private int _count;
    private TimeSpan _offset;

    public ClockOffsetEstimator(int windowSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        _window = new TimeSpan[windowSize];
    }

    /// <summary>Whether any message has been seen; before that, <see cref="Offset"/> means nothing.</summary>
    public bool HasEstimate
    {
        get
        {
            lock (_lock)
            {
                return _count > 0;
            }
        }
    }

    /// <summary>Agent time − controller time, by the minimum-delay estimate.</summary>
    public TimeSpan Offset
    {
        get
        {
            lock (_lock)
            {
                return _offset;
            }
        }
    }

    /// <summary>Records one message and returns its sent time on the agent's clock (never after it was received).</summary>
    public TimeSpan Correct(TimeSpan controllerTime, TimeSpan receivedAt)
    {
        lock (_lock)
        {
            var difference = receivedAt - controllerTime;
            var evicted = _count == _window.Length ? _window[_next] : (TimeSpan?)null;
            _window[_next] = difference;
            _next = (_next + 1) % _window.Length;
            _count = Math.Min(_count + 1, _window.Length);
            if (_count == 1 || difference < _offset)
            {
                _offset = difference;
            }
            else if (evicted == _offset)
            {
                // The minimum left the window: rescan (bounded by the window size, rare).
                _offset = _window[0];
                for (var i = 1; i < _count; i++)
                {
                    _offset = _window[i] < _offset ? _window[i] : _offset;
                }
            }

            var corrected = controllerTime + _offset;
            return corrected <= receivedAt ? corrected : receivedAt;
        }
    }
}

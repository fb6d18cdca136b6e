namespace DataCentric.Edge.Uplink.Commands;

/// <summary>At most N requests in any window of time (sliding, on the injected clock); memory bounded by N.</summary>
public sealed class CommandRateLimiter(int maxPerWindow, TimeSpan window, TimeProvider timeProvider)
{
    private readonly Queue<long> _accepted = new();
    private readonly Lock _lock = new();

    public bool TryAcquire()
    {
        lock (_lock)
        {
            var now = timeProvider.GetTimestamp();
            while (_accepted.Count > 0 && timeProvider.GetElapsedTime(_accepted.Peek(), now) >= window)
            {
                _accepted.Dequeue();
            }

            if (_accepted.Count >= maxPerWindow)
            {
                return false;
            }

            _accepted.Enqueue(now);
            return true;
        }
    }
}

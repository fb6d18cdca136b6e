namespace DataCentric.Edge.Uplink.Upload;

/// <summary>
/// A token bucket on the injected clock: holds at most one second of bytes (or one chunk if that
/// is larger), refills at the cap, and makes a sender wait until its chunk is covered.
/// </summary>
public sealed class BandwidthLimiter
{
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly double _bytesPerSecond;
    private double _tokens;
    private long _last;

    public BandwidthLimiter(long bytesPerSecond, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerSecond);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _bytesPerSecond = bytesPerSecond;
        _timeProvider = timeProvider;
        _last = timeProvider.GetTimestamp();
        _tokens = bytesPerSecond;
    }

    public bool IsUnlimited => _bytesPerSecond == 0;

    public async ValueTask WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        if (IsUnlimited)
        {
            return;
        }

        TimeSpan wait;
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            var capacity = Math.Max(_bytesPerSecond, bytes);
            _tokens = Math.Min(capacity, _tokens + (_timeProvider.GetElapsedTime(_last, now).TotalSeconds * _bytesPerSecond));
            _last = now;
            _tokens -= bytes;
            wait = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _bytesPerSecond);
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}

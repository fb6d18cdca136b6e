namespace DataCentric.Edge.Core.Triggers.Engine;

/// <summary>
/// Per-trigger gating state that outlives a set swap when the id stays: the last fire (cooldown),
/// recent fire times (maxPerHour), bytes today (maxBytesPerDay) and embeddings of recent clips
/// (minNovelty), all bounded; and the trigger's <see cref="TriggerTally"/>, which outlives it.
/// </summary>
internal sealed class TriggerLedger(string triggerId, int noveltyReferenceSize, TriggerTally counts)
{
    private const double SecondsPerHour = 3600;
    private const double SecondsPerDay = 86400;
    private double[] _fireTimes = [];
    private int _fireNext;
    private int _fireCount;
    private long _day = -1;
    private long _bytesToday;

    public string TriggerId { get; } = triggerId;

    public double LastFire { get; private set; } = double.NegativeInfinity;

    public Language.EmbeddingReference RecentClips { get; } = new(noveltyReferenceSize);

    /// <summary>The trigger's counters: they outlive this ledger (a rollback starts a new one on the same tally).</summary>
    public TriggerTally Counts { get; } = counts;

    /// <summary>True when one more fire now stays within maxPerHour and maxBytesPerDay.</summary>
    public bool WithinBudget(double now, int? maxPerHour, long? maxBytesPerDay, long clipBytes)
    {
        if (maxPerHour is { } perHour && FiresSince(now - SecondsPerHour, perHour) >= perHour)
        {
            return false;
        }

        return maxBytesPerDay is not { } perDay || BytesOn(now) + clipBytes <= perDay;
    }

    public void RecordFire(double now, int? maxPerHour, long clipBytes)
    {
        LastFire = now;
        if (maxPerHour is { } perHour)
        {
            EnsureCapacity(perHour);
            _fireTimes[_fireNext] = now;
            _fireNext = (_fireNext + 1) % _fireTimes.Length;
            _fireCount = Math.Min(_fireCount + 1, _fireTimes.Length);
        }

        _bytesToday = BytesOn(now) + clipBytes;
    }

    private long BytesOn(double now)
    {
        var day = (long)Math.Floor(now / SecondsPerDay);
        if (day != _day)
        {
            _day = day;
            _bytesToday = 0;
        }

        return _bytesToday;
    }

    private int FiresSince(double from, int capacity)
    {
        EnsureCapacity(capacity);
        var count = 0;
        for (var i = 0; i < _fireCount; i++)
        {
            if (_fireTimes[i] > from + Language.TimeMath.Epsilon)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The ring holds maxPerHour fire times; a new set may change that (newest times are kept).</summary>
    private void EnsureCapacity(int capacity)
    {
        if (_fireTimes.Length == capacity)
        {
            return;
        }

        var kept = new List<double>(_fireCount);
        for (var i = 0; i < _fireCount; i++)
        {
            kept.Add(_fireTimes[(_fireNext - _fireCount + i + (2 * _fireTimes.Length)) % Math.Max(1, _fireTimes.Length)]);
        }

        _fireTimes = new double[capacity];
        var keep = kept.Skip(Math.Max(0, kept.Count - capacity)).ToArray();
        keep.CopyTo(_fireTimes, 0);
        _fireCount = keep.Length;
        _fireNext = keep.Length % capacity;
    }
}

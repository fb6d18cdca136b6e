namespace DataCentric.Edge.Core.Triggers.Engine;

/// <summary>
/// Per-trigger bookkeeping that outlives a set swap when the id stays: counters, the last fire
/// (cooldown), recent fire times (maxPerHour), bytes today (maxBytesPerDay) and embeddings of
/// recent clips (minNovelty). All bounded.
/// </summary>
internal sealed class TriggerLedger(string triggerId, int noveltyReferenceSize)
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

    // Only the engine's tick thread writes the counters (plain increments: an atomic one per
    // trigger per tick cost more than the evaluation); other threads read them with Volatile.
    public long Evaluations;
    public long RisingEdges;
    public long Fires;
    public long DryRunFires;
    public long SuppressedCooldown;
    public long SuppressedBudget;
    public long SuppressedSampling;
    public long SuppressedDuplicate;
    public long MissingSignal;

    public TriggerCounters Snapshot() => new(
        TriggerId,
        Volatile.Read(ref Evaluations),
        Volatile.Read(ref RisingEdges),
        Volatile.Read(ref Fires),
        Volatile.Read(ref DryRunFires),
        Volatile.Read(ref SuppressedCooldown),
        Volatile.Read(ref SuppressedBudget),
        Volatile.Read(ref SuppressedSampling),
        Volatile.Read(ref SuppressedDuplicate),
        Volatile.Read(ref MissingSignal));

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

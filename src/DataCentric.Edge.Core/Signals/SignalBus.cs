using System.Collections.Concurrent;
using System.Threading.Channels;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Core.Signals;

/// <summary>
/// Latest value and a bounded history of every signal: sensors, <c>shadow.*</c> model outputs and
/// <c>primary.*</c> controller decisions. Sources publish from their own threads; the trigger
/// engine and the recorder read. Memory is bounded by <see cref="SignalBusOptions.HistoryCapacity"/>
/// per signal and by the capacity of each tap.
/// </summary>
public sealed class SignalBus
{
    private readonly ConcurrentDictionary<string, SignalId> _ids = new(StringComparer.Ordinal);
    private readonly Lock _registerLock = new();
    private readonly int _historyCapacity;
    private volatile Slot[] _slots = [];
    private volatile Tap[] _taps = [];

    public SignalBus(SignalBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HistoryCapacity, 1);
        _historyCapacity = options.HistoryCapacity;
    }

    public int HistoryCapacity => _historyCapacity;

    /// <summary>Signals that will not come (e.g. their model failed) and why; triggers reading them are disabled.</summary>
    public SignalAvailability Availability { get; } = new();

    /// <summary>Registers a signal, or returns the existing one if the name and kind match.</summary>
    /// <exception cref="InvalidOperationException">The name is registered with another kind.</exception>
    public SignalId Register(string name, SignalKind kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_registerLock)
        {
            if (_ids.TryGetValue(name, out var existing))
            {
                var existingKind = _slots[existing.Value].Kind;
                if (existingKind != kind)
                {
                    throw new InvalidOperationException(
                        $"Signal '{name}' is registered as {existingKind}, not {kind}.");
                }

                return existing;
            }

            var id = new SignalId(_slots.Length);
            var slots = new Slot[_slots.Length + 1];
            Array.Copy(_slots, slots, _slots.Length);
            slots[id.Value] = new Slot(name, kind, _historyCapacity);
            _slots = slots;
            _ids[name] = id;
            return id;
        }
    }

    public bool TryGetId(string name, out SignalId id) => _ids.TryGetValue(name, out id);

    /// <summary>Every registered signal with its kind, for validation and "did you mean".</summary>
    public IReadOnlyList<(string Name, SignalKind Kind)> Describe() =>
        [.. _slots.Select(s => (s.Name, s.Kind))];

    public string NameOf(SignalId id) => _slots[id.Value].Name;

    public SignalKind KindOf(SignalId id) => _slots[id.Value].Kind;

    public void Publish(SignalId id, SignalValue value, TimeSpan time)
    {
        var slot = _slots[id.Value];
        if (value.Kind != slot.Kind)
        {
            throw new ArgumentException(
                $"Signal '{slot.Name}' carries {slot.Kind}, not {value.Kind}.", nameof(value));
        }

        var sample = new SignalSample(value, time);
        slot.Append(sample);
        foreach (var tap in _taps)
        {
            tap.Offer(new SignalUpdate(id, slot.Name, sample));
        }
    }

    public bool TryGetLatest(SignalId id, out SignalSample sample) => _slots[id.Value].TryGetLatest(out sample);

    /// <summary>
    /// The newest sample taken at or before <paramref name="time"/> that the history still holds:
    /// the value the signal had at that instant, never one from its future.
    /// </summary>
    public bool TryGetAt(SignalId id, TimeSpan time, out SignalSample sample)
    {
        var slot = _slots[id.Value];

        // Usually the latest sample already is at or before the instant: no lock on that path.
        if (!slot.TryGetLatest(out sample))
        {
            return false;
        }

        return sample.Time <= time || slot.TryFindBefore(time, out sample);
    }

    /// <summary>Copies up to <c>destination.Length</c> of the newest samples, oldest first; returns the count.</summary>
    public int CopyHistory(SignalId id, Span<SignalSample> destination) =>
        _slots[id.Value].CopyNewest(destination);

    /// <summary>
    /// A bounded feed of every publication from now on (the recorder's input). When the reader is
    /// behind, the oldest updates are dropped and counted in <see cref="SignalTap.Dropped"/>.
    /// </summary>
    public SignalTap OpenTap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var tap = new Tap(capacity);
        lock (_registerLock)
        {
            _taps = [.. _taps, tap];
        }

        return tap;
    }

    /// <summary>Stops feeding a tap from <see cref="OpenTap"/> (a drive recording that ended), so it costs nothing afterwards.</summary>
    public void CloseTap(SignalTap tap)
    {
        ArgumentNullException.ThrowIfNull(tap);
        lock (_registerLock)
        {
            _taps = [.. _taps.Where(t => !ReferenceEquals(t, tap))];
        }
    }

    private sealed class Slot(string name, SignalKind kind, int capacity)
    {
        private readonly SignalSample[] _ring = new SignalSample[capacity];
        private readonly Lock _lock = new();
        private int _next;
        private int _count;

        // The latest value behind a sequence lock: the trigger engine reads every signal every
        // tick, and a lock per read was most of its cost. Odd = a write is in progress.
        private long _sequence;
        private SignalSample _latest;

        public string Name { get; } = name;

        public SignalKind Kind { get; } = kind;

        public void Append(in SignalSample sample)
        {
            lock (_lock)
            {
                _ring[_next] = sample;
                _next = (_next + 1) % _ring.Length;
                _count = Math.Min(_count + 1, _ring.Length);
                // Writers hold the lock: a full fence before the value, a release write after it.
                var sequence = Interlocked.Increment(ref _sequence);
                _latest = sample;
                Volatile.Write(ref _sequence, sequence + 1);
            }
        }

        public bool TryGetLatest(out SignalSample sample)
        {
            var spinner = default(SpinWait);
            while (true)
            {
                var before = Volatile.Read(ref _sequence);
                if (before == 0)
                {
                    sample = default;
                    return false;
                }

                sample = _latest;
                Interlocked.MemoryBarrier();
                if ((before & 1) == 0 && Volatile.Read(ref _sequence) == before)
                {
                    return true;
                }

                spinner.SpinOnce();
            }
        }

        public bool TryFindBefore(TimeSpan time, out SignalSample sample)
        {
            lock (_lock)
            {
                // Newest first: the first sample not after the instant is the nearest before it.
                for (var i = 1; i <= _count; i++)
                {
                    sample = _ring[(_next - i + _ring.Length) % _ring.Length];
                    if (sample.Time <= time)
                    {
                        return true;
                    }
                }

                sample = default;
                return false;
            }
        }

        public int CopyNewest(Span<SignalSample> destination)
        {
            lock (_lock)
            {
                var n = Math.Min(destination.Length, _count);
                var start = (_next - n + _ring.Length) % _ring.Length;
                for (var i = 0; i < n; i++)
                {
                    destination[i] = _ring[(start + i) % _ring.Length];
                }

                return n;
            }
        }
    }

    private sealed class Tap(int capacity) : SignalTap(capacity)
    {
        public void Offer(in SignalUpdate update) => Writer.TryWrite(update);
    }
}

/// <summary>A bounded feed of signal publications; see <see cref="SignalBus.OpenTap"/>.</summary>
public abstract class SignalTap
{
    private readonly Channel<SignalUpdate> _channel;
    private long _dropped;

    private protected SignalTap(int capacity)
    {
        _channel = Channel.CreateBounded<SignalUpdate>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public ChannelReader<SignalUpdate> Reader => _channel.Reader;

    /// <summary>Updates pushed out because the reader was behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    private protected ChannelWriter<SignalUpdate> Writer => _channel.Writer;
}

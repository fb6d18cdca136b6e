using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Core.Recording;

/// <summary>
/// Turns trigger events into clips: keeps a ring of recent data, opens a clip covering
/// [t − pre, t + post] on each event, merges overlapping or adjacent events into one clip (capped at
/// <see cref="RecorderOptions.MaxClipLength"/>), and hands a clip over once its post window has
/// passed. Not thread-safe: one recorder worker owns it. Disposing returns the ring's pooled buffers;
/// a clip handed over holds its frames in rented slabs until its <see cref="ClipContent.FrameMemory"/> is disposed.
/// </summary>
public sealed class ClipRecorder : IDisposable
{
    private readonly RecorderOptions _options;
    private readonly MonotonicClock _clock;
    private readonly RecordingRing _ring;
    private readonly List<PendingClip> _pending = [];
    private TimeSpan _latestFrameTime = TimeSpan.MinValue;

    public ClipRecorder(RecorderOptions options, MonotonicClock clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _options = options;
        _clock = clock;
        _ring = new RecordingRing(options);
    }

    public int PendingClips => _pending.Count;

    public RecorderCounters Counters => new(_ring.FrameCount, _ring.FrameBytes, _ring.SignalCount, _ring.FramesEvictedEarly, _ring.SignalsEvictedEarly, RefusedEvents);

    private long RefusedEvents { get; set; }

    public void Add(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _ring.Add(frame);
        if (frame.Time > _latestFrameTime)
        {
            _latestFrameTime = frame.Time;
        }

        // The time bound holds between collections too, so a burst of frames cannot outgrow it.
        _ring.TrimBefore(KeepFrom(_latestFrameTime));
    }

    public void Add(in SignalUpdate update) => _ring.Add(update);

    /// <summary>Starts or extends a clip for the event.</summary>
    /// <returns>False when <see cref="RecorderOptions.MaxPendingClips"/> clips are already waiting; the caller reports it.</returns>
    public bool OnTrigger(TriggerEvent triggerEvent)
    {
        ArgumentNullException.ThrowIfNull(triggerEvent);
        if (triggerEvent.DryRun)
        {
            return true;
        }

        var start = triggerEvent.Time - triggerEvent.Pre;
        var end = triggerEvent.Time + triggerEvent.Post;
        var last = _pending.Count > 0 ? _pending[^1] : null;
        if (last is not null && start < last.Start)
        {
            // Out of order (a window cut from the ring for a pull): merged into a later clip it would be lost, so it gets its own.
            return Insert(new PendingClip(start, Min(end, start + _options.MaxClipLength), triggerEvent));
        }

        if (last is not null && start <= last.End)
        {
            var capped = last.Start + _options.MaxClipLength;
            if (triggerEvent.Time <= capped)
            {
                last.End = Min(Max(end, last.End), capped);
                last.Events.Add(triggerEvent);
                return true;
            }

            // The merged clip is full and this moment lies beyond it: a new clip continues where it ends.
            start = last.End;
        }

        return Insert(new PendingClip(start, Min(end, start + _options.MaxClipLength), triggerEvent));
    }

    /// <summary>
    /// Moves clips whose post window has passed into <paramref name="completed"/> and trims the ring.
    /// </summary>
    public void CollectCompleted(ICollection<ClipContent> completed, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(completed);
        var now = _clock.Now;
        while (_pending.Count > 0 && IsComplete(_pending[0], now))
        {
            var clip = _pending[0];
            _pending.RemoveAt(0);
            completed.Add(Cut(clip, metadata));
        }

        _ring.TrimBefore(KeepFrom(now));
    }

    /// <summary>
    /// At shutdown: hands over every pending clip cut at the newest data recorded, so a trigger
    /// already seen still gets the clip it can have.
    /// </summary>
    public void CollectAllPending(ICollection<ClipContent> completed, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(completed);
        foreach (var clip in _pending)
        {
            if (_latestFrameTime < clip.End)
            {
                clip.End = Max(clip.Start, _latestFrameTime);
            }

            completed.Add(Cut(clip, metadata));
        }

        _pending.Clear();
    }

    public void Dispose() => _ring.Dispose();

    /// <summary>Adds a clip in start order (the ring is trimmed from the first pending clip's start).</summary>
    private bool Insert(PendingClip clip)
    {
        if (_pending.Count >= _options.MaxPendingClips)
        {
            RefusedEvents++;
            return false;
        }

        var index = _pending.FindIndex(p => p.Start > clip.Start);
        _pending.Insert(index < 0 ? _pending.Count : index, clip);
        return true;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The ring keeps <see cref="RecorderOptions.RingDuration"/> back from now, or more while a clip needs it.</summary>
    private TimeSpan KeepFrom(TimeSpan now)
    {
        var keepFrom = now - _options.RingDuration;
        return _pending.Count > 0 && _pending[0].Start < keepFrom ? _pending[0].Start : keepFrom;
    }

    private bool IsComplete(PendingClip clip, TimeSpan now) =>
        _latestFrameTime >= clip.End || now >= clip.End + _options.LateDataGrace;

    private ClipContent Cut(PendingClip clip, IReadOnlyDictionary<string, string> metadata)
    {
        var frames = _ring.FramesIn(clip.Start, clip.End);
        var signals = _ring.SignalsIn(clip.Start, clip.End);
        var wallStart = _clock.ToWallClock(clip.Start);
        var id = Guid.CreateVersion7(wallStart).ToString("N");
        return new ClipContent(id, clip.Start, clip.End, wallStart, frames.Frames, signals, [.. clip.Events], metadata) { FrameMemory = frames };
    }

    private sealed class PendingClip(TimeSpan start, TimeSpan end, TriggerEvent first)
    {
        public TimeSpan Start { get; } = start;

        public TimeSpan End { get; set; } = end;

        public List<TriggerEvent> Events { get; } = [first];
    }
}

/// <summary>What the recorder holds and what it had to give up, for status and metrics.</summary>
public readonly record struct RecorderCounters(int RingFrames, long RingFrameBytes, int RingSignals, long FramesEvictedEarly, long SignalsEvictedEarly, long RefusedEvents);

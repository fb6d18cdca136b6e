using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Core.Recording;

/// <summary>
/// The last few seconds of frames and signal samples, bounded by time, by frame bytes and by
/// sample count. Items arrive roughly in time order; not thread-safe (the recorder owns it).
/// </summary>
internal sealed class RecordingRing(RecorderOptions options)
{
    private readonly Queue<Frame> _frames = new();
    private readonly Queue<SignalUpdate> _signals = new();

    public long FrameBytes { get; private set; }

    public int FrameCount => _frames.Count;

    public int SignalCount => _signals.Count;

    /// <summary>Frames pushed out by the byte bound before their time was up.</summary>
    public long FramesEvictedEarly { get; private set; }

    public long SignalsEvictedEarly { get; private set; }

    public TimeSpan? OldestFrameTime => _frames.Count > 0 ? _frames.Peek().Time : null;

    public void Add(Frame frame)
    {
        _frames.Enqueue(frame);
        FrameBytes += frame.Data.Length;
        while (FrameBytes > options.RingMaxBytes && _frames.Count > 1)
        {
            FrameBytes -= _frames.Dequeue().Data.Length;
            FramesEvictedEarly++;
        }
    }

    public void Add(in SignalUpdate update)
    {
        _signals.Enqueue(update);
        while (_signals.Count > options.RingMaxSignalSamples)
        {
            _signals.Dequeue();
            SignalsEvictedEarly++;
        }
    }

    /// <summary>Drops what is older than <paramref name="keepFrom"/>.</summary>
    public void TrimBefore(TimeSpan keepFrom)
    {
        while (_frames.Count > 0 && _frames.Peek().Time < keepFrom)
        {
            FrameBytes -= _frames.Dequeue().Data.Length;
        }

        while (_signals.Count > 0 && _signals.Peek().Sample.Time < keepFrom)
        {
            _signals.Dequeue();
        }
    }

    public List<Frame> FramesIn(TimeSpan start, TimeSpan end) =>
        [.. _frames.Where(f => f.Time >= start && f.Time <= end)];

    public List<SignalUpdate> SignalsIn(TimeSpan start, TimeSpan end) =>
        [.. _signals.Where(s => s.Sample.Time >= start && s.Sample.Time <= end)];
}

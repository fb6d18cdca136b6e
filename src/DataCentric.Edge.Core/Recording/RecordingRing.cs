using System.Buffers;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Recording;

/// <summary>
/// The last few seconds of frames and signal samples, bounded by time, by frame bytes and by
/// sample count. Frame bytes are copied into buffers rented from <see cref="ArrayPool{T}"/> and
/// returned when a frame leaves, so a source may reuse its own buffers and the steady state
/// allocates nothing; the byte bound counts the rented buffers, i.e. the memory really held.
/// Items arrive roughly in time order; not thread-safe (the recorder owns it).
/// </summary>
internal sealed class RecordingRing(RecorderOptions options, ArrayPool<byte>? pool = null) : IDisposable
{
    private readonly ArrayPool<byte> _pool = pool ?? ArrayPool<byte>.Shared;
    private readonly Queue<RingFrame> _frames = new();
    private readonly Queue<SignalUpdate> _signals = new();

    /// <summary>Bytes of pooled buffers the ring holds (at least the frames' encoded bytes).</summary>
    public long FrameBytes { get; private set; }

    public int FrameCount => _frames.Count;

    public int SignalCount => _signals.Count;

    /// <summary>Frames pushed out by the byte bound before their time was up.</summary>
    public long FramesEvictedEarly { get; private set; }

    public long SignalsEvictedEarly { get; private set; }

    public TimeSpan? OldestFrameTime => _frames.Count > 0 ? _frames.Peek().Time : null;

    public void Add(Frame frame)
    {
        var length = frame.Data.Length;
        var buffer = _pool.Rent(Math.Max(length, 1));
        frame.Data.Span.CopyTo(buffer);
        _frames.Enqueue(new RingFrame(frame.Sequence, frame.Time, frame.WallClock, frame.Width, frame.Height, frame.Format, frame.FrameId, buffer, length));
        FrameBytes += buffer.Length;
        while (FrameBytes > options.RingMaxBytes && _frames.Count > 1)
        {
            DropOldestFrame();
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
            DropOldestFrame();
        }

        while (_signals.Count > 0 && _signals.Peek().Sample.Time < keepFrom)
        {
            _signals.Dequeue();
        }
    }

    /// <summary>Copies the frames in [start, end] out of the pool into one array the clip owns.</summary>
    public List<Frame> FramesIn(TimeSpan start, TimeSpan end)
    {
        var total = 0;
        var count = 0;
        foreach (var frame in _frames)
        {
            if (frame.Time >= start && frame.Time <= end)
            {
                total += frame.Length;
                count++;
            }
        }

        var block = new byte[total];
        var frames = new List<Frame>(count);
        var offset = 0;
        foreach (var frame in _frames)
        {
            if (frame.Time >= start && frame.Time <= end)
            {
                frame.Buffer.AsSpan(0, frame.Length).CopyTo(block.AsSpan(offset));
                frames.Add(new Frame(frame.Sequence, frame.Time, frame.WallClock, frame.Width, frame.Height, frame.Format, block.AsMemory(offset, frame.Length), frame.FrameId));
                offset += frame.Length;
            }
        }

        return frames;
    }

    public List<SignalUpdate> SignalsIn(TimeSpan start, TimeSpan end) =>
        [.. _signals.Where(s => s.Sample.Time >= start && s.Sample.Time <= end)];

    public void Dispose()
    {
        while (_frames.Count > 0)
        {
            DropOldestFrame();
        }

        _signals.Clear();
    }

    private void DropOldestFrame()
    {
        var frame = _frames.Dequeue();
        FrameBytes -= frame.Buffer.Length;
        _pool.Return(frame.Buffer);
    }

    /// <summary>A frame's description and its bytes in a rented buffer (a struct: queueing it allocates nothing).</summary>
    private readonly record struct RingFrame(
        long Sequence, TimeSpan Time, DateTimeOffset WallClock, int Width, int Height, string Format, string FrameId, byte[] Buffer, int Length);
}

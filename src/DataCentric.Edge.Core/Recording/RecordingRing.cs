using System.Buffers;
using System.Numerics;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Recording;

/// <summary>
/// The last few seconds of frames and signal samples, bounded by time, by frame bytes and by
/// sample count. Frame bytes are copied, one after the other, into slabs rented from
/// <see cref="ArrayPool{T}"/> (1 MiB with the default bound); a slab goes back to the pool when its
/// last frame leaves, so a source may reuse its own buffers and the steady state allocates nothing.
/// Packing frames into slabs, rather than renting a buffer per frame, holds a frame's own bytes
/// instead of the pool's next power of two: a 150 KiB 720p JPEG took a 256 KiB buffer, so the byte
/// bound held about 60 % of the window it was sized for. The byte bound counts the slabs, i.e. the
/// memory really held. Items arrive roughly in time order; not thread-safe (the recorder owns it).
/// </summary>
internal sealed class RecordingRing(RecorderOptions options, ArrayPool<byte>? pool = null, ArrayPool<byte>? clipPool = null) : IDisposable
{
    private const int MaxSlabBytes = 1024 * 1024;

    // Frames up to the camera's default MaxFrameBytes keep their buffers pooled.
    private const int MaxPooledBytes = 16 * 1024 * 1024;

    // A sixteenth of the byte bound, so the slab being filled and the oldest one, partly stale,
    // are a small part of it; a power of two, the pool's own sizes. Frames larger than a slab get
    // a buffer of their own.
    private readonly int _slabBytes = SlabBytesFor(options.RingMaxBytes);

    // The ring's own pool, not ArrayPool<byte>.Shared: its slabs are the same size as the MQTT
    // socket buffers and clip buffers in the shared pool, and a frame still being copied by a
    // recorder that is stopped late (disposed while its worker runs) must never land in a buffer
    // some other component has since rented.
    private readonly ArrayPool<byte> _pool = pool ?? ArrayPool<byte>.Create(MaxPooledBytes, SlabsFor(options.RingMaxBytes));

    // Clips' frames, copied out of the ring, live in slabs of the same size from a pool of their own,
    // so a clip disposed late (storage behind) never shares a buffer with the ring. It keeps as many
    // buffers of each size as the ring's pool (a ring's worth of slabs); more in flight are collected.
    private readonly ArrayPool<byte> _clipPool = clipPool ?? ArrayPool<byte>.Create(MaxPooledBytes, SlabsFor(options.RingMaxBytes));

    private readonly Queue<RingFrame> _frames = new();

    // The slab new frames are appended to (it holds the newest frames); null when none is open.
    private byte[]? _slab;
    private int _slabUsed;
    private readonly Queue<SignalUpdate> _signals = new();

    /// <summary>Bytes of pooled slabs and buffers the ring holds (at least the frames' encoded bytes).</summary>
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
        byte[] buffer;
        int offset;
        if (length > _slabBytes)
        {
            // A buffer of its own; the open slab is closed so that each buffer's frames stay
            // contiguous in the queue (DropOldestFrame relies on it).
            _slab = null;
            buffer = _pool.Rent(length);
            FrameBytes += buffer.Length;
            offset = 0;
        }
        else
        {
            if (_slab is null || _slab.Length - _slabUsed < length)
            {
                _slab = _pool.Rent(_slabBytes);
                _slabUsed = 0;
                FrameBytes += _slab.Length;
            }

            buffer = _slab;
            offset = _slabUsed;
            _slabUsed += length;
        }

        frame.Data.Span.CopyTo(buffer.AsSpan(offset));
        _frames.Enqueue(new RingFrame(frame.Sequence, frame.Time, frame.WallClock, frame.Width, frame.Height, frame.Format, frame.FrameId, buffer, offset, length));
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

    /// <summary>Copies the frames in [start, end] into slabs the clip owns until it is disposed.</summary>
    public ClipFrames FramesIn(TimeSpan start, TimeSpan end)
    {
        var count = 0;
        foreach (var frame in _frames)
        {
            if (frame.Time >= start && frame.Time <= end)
            {
                count++;
            }
        }

        var clip = new ClipFrames(_clipPool, _slabBytes, count);
        foreach (var frame in _frames)
        {
            if (frame.Time >= start && frame.Time <= end)
            {
                var bytes = clip.Copy(frame.Buffer.AsSpan(frame.Offset, frame.Length));
                clip.Add(new Frame(frame.Sequence, frame.Time, frame.WallClock, frame.Width, frame.Height, frame.Format, bytes, frame.FrameId));
            }
        }

        return clip;
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

        // A buffer's frames are contiguous in the queue: it is free when the next frame is not in it.
        if (_frames.Count > 0 && ReferenceEquals(_frames.Peek().Buffer, frame.Buffer))
        {
            return;
        }

        if (ReferenceEquals(frame.Buffer, _slab))
        {
            _slab = null;
        }

        FrameBytes -= frame.Buffer.Length;
        _pool.Return(frame.Buffer);
    }

    private static int SlabsFor(long ringMaxBytes) => (int)Math.Min(1024, (ringMaxBytes / SlabBytesFor(ringMaxBytes)) + 2);

    private static int SlabBytesFor(long ringMaxBytes) =>
        (int)Math.Min(MaxSlabBytes, 1L << BitOperations.Log2((ulong)Math.Max(1, ringMaxBytes / 16)));

    /// <summary>A frame's description and where its bytes are in a slab or buffer (a struct: queueing it allocates nothing).</summary>
    private readonly record struct RingFrame(
        long Sequence, TimeSpan Time, DateTimeOffset WallClock, int Width, int Height, string Format, string FrameId, byte[] Buffer, int Offset, int Length);
}

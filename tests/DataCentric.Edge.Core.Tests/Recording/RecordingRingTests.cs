using System.Buffers;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Tests.Recording;

[Trait("Category", "Unit")]
public sealed class RecordingRingTests
{
    private const int FrameBytes = 40_000;

    [Fact]
    public void SteadyState_AllocatesNothingPerFrameOrSample()
    {
        var options = new RecorderOptions { RingDuration = TimeSpan.FromSeconds(2), RingMaxBytes = 8L * 1024 * 1024, RingMaxSignalSamples = 1000 };
        using var ring = new RecordingRing(options);
        var data = new byte[FrameBytes];
        var frames = Enumerable.Range(0, 3000).Select(i => new Frame(i, Ms(i * 33), DateTimeOffset.UnixEpoch, 640, 480, "jpeg", data)).ToArray();
        var signal = new SignalUpdate(new SignalId(1), "shadow.obstacle", new SignalSample(SignalValue.FromNumber(0.5), TimeSpan.Zero));

        // Warm up: queues reach their steady capacity and the pool has buffers of this size.
        for (var i = 0; i < 1000; i++)
        {
            Feed(ring, frames[i], signal, options);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1000; i < frames.Length; i++)
        {
            Feed(ring, frames[i], signal, options);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // 2000 frames of 40 kB went through (80 MB): what is left is a rounding error, not a per-frame cost.
        Assert.InRange(allocated, 0, 4 * 1024);
        Assert.InRange(ring.FrameCount, 60, 62);
    }

    [Fact]
    public void FrameBytes_AreRentedFromThePool_AndReturnedWhenFramesLeave()
    {
        var pool = new CountingPool();
        var options = new RecorderOptions { RingMaxBytes = 3 * 4096 };
        var ring = new RecordingRing(options, pool);
        for (var i = 0; i < 10; i++)
        {
            ring.Add(new Frame(i, Ms(i * 100), DateTimeOffset.UnixEpoch, 64, 48, "jpeg", new byte[4000]));
        }

        Assert.Equal(10, pool.Rented);
        Assert.Equal(7, pool.Returned);
        Assert.Equal(3, ring.FrameCount);
        Assert.Equal(3 * 4096, ring.FrameBytes);

        ring.Dispose();

        Assert.Equal(10, pool.Returned);
        Assert.Equal(0, ring.FrameBytes);
    }

    [Fact]
    public void FramesSmallerThanASlab_ArePacked_SoTheByteBoundHoldsTheirOwnBytes()
    {
        // 90 frames of 150 kB (a 720p JPEG) are 13.5 MB: inside a 16 MiB bound once packed six to a
        // 1 MiB slab, but 22.5 MiB as one 256 KiB power-of-two buffer each.
        var options = new RecorderOptions { RingMaxBytes = 16L * 1024 * 1024 };
        using var ring = new RecordingRing(options);
        var data = new byte[150_000];
        for (var i = 0; i < 90; i++)
        {
            ring.Add(new Frame(i, Ms(i * 33), DateTimeOffset.UnixEpoch, 1280, 720, "jpeg", data));
        }

        Assert.Equal(90, ring.FrameCount);
        Assert.Equal(0, ring.FramesEvictedEarly);
        Assert.Equal(15L * 1024 * 1024, ring.FrameBytes);
    }

    [Fact]
    public void LargeAndSmallFrames_Interleaved_KeepTheirBytes_AndEveryBufferGoesBack()
    {
        var pool = new CountingPool();
        var options = new RecorderOptions { RingMaxBytes = 64 * 1024 };
        var ring = new RecordingRing(options, pool);
        for (var i = 0; i < 40; i++)
        {
            // Slabs are 4 KiB here: every third frame needs a buffer of its own.
            ring.Add(new Frame(i, Ms(i * 100), DateTimeOffset.UnixEpoch, 64, 48, "jpeg", Filled(i % 3 == 2 ? 10_000 : 1_500, (byte)i)));
        }

        using var clip = ring.FramesIn(Ms(0), Ms(10_000));
        var cut = clip.Frames;
        Assert.Equal(cut.Count, ring.FrameCount);
        Assert.InRange(ring.FrameBytes, 0, options.RingMaxBytes);
        Assert.All(cut, f => Assert.Equal(f.Sequence % 3 == 2 ? 10_000 : 1_500, f.Data.Length));
        Assert.All(cut, f => Assert.All(f.Data.ToArray(), b => Assert.Equal((byte)f.Sequence, b)));
        Assert.Equal(39, cut[^1].Sequence);

        ring.TrimBefore(Ms(3_500));
        Assert.Equal(5, ring.FrameCount);
        ring.Dispose();

        Assert.Equal(pool.Rented, pool.Returned);
        Assert.Equal(0, ring.FrameBytes);
    }

    [Fact]
    public void FramesCutForAClip_OwnTheirBytes_AfterThePoolReusesTheRingsBuffers()
    {
        var options = new RecorderOptions { RingMaxBytes = 2 * 1024 * 1024 };
        using var ring = new RecordingRing(options);
        for (var i = 0; i < 5; i++)
        {
            ring.Add(new Frame(i, Ms(i * 100), DateTimeOffset.UnixEpoch, 64, 48, "jpeg", Filled(1000, (byte)i)));
        }

        using var clip = ring.FramesIn(Ms(100), Ms(300));
        var cut = clip.Frames;
        ring.TrimBefore(Ms(10_000));
        for (var i = 0; i < 5; i++)
        {
            ring.Add(new Frame(i, Ms(20_000 + i), DateTimeOffset.UnixEpoch, 64, 48, "jpeg", Filled(1000, 0xEE)));
        }

        Assert.Equal([1, 2, 3], cut.Select(f => (int)f.Sequence));
        Assert.All(cut, f => Assert.All(f.Data.ToArray(), b => Assert.Equal((byte)f.Sequence, b)));
    }

    [Fact]
    public void AClipsFrames_AreCopiedIntoSlabsOfTheClipPool_AndGoBackOnce_WhenTheClipIsDisposed()
    {
        var ringPool = new CountingPool();
        var clipPool = new CountingPool();

        // Slabs are 4 KiB here: two 1 500-byte frames to a slab, a 10 000-byte frame in a buffer of its own.
        var ring = new RecordingRing(new RecorderOptions { RingMaxBytes = 64 * 1024 }, ringPool, clipPool);
        var sizes = new[] { 1_500, 1_500, 1_500, 10_000, 1_500, 1_500, 1_500 };
        for (var i = 0; i < sizes.Length; i++)
        {
            ring.Add(new Frame(i, Ms(i * 100), DateTimeOffset.UnixEpoch, 64, 48, "jpeg", Filled(sizes[i], (byte)(i + 1))));
        }

        var ringRents = ringPool.Rented;
        var clip = ring.FramesIn(Ms(0), Ms(10_000));

        Assert.Equal(ringRents, ringPool.Rented);
        Assert.Equal(sizes, clip.Frames.Select(f => f.Data.Length));
        Assert.All(clip.Frames, f => Assert.All(f.Data.ToArray(), b => Assert.Equal((byte)(f.Sequence + 1), b)));

        // Three slabs for six small frames (the one after the large frame fills the second slab), one for the large frame.
        Assert.Equal(4, clipPool.Rented);
        Assert.Equal(4, clip.RentedBuffers);
        Assert.Equal(0, clipPool.Returned);

        clip.Dispose();
        clip.Dispose();

        Assert.Equal(4, clipPool.Returned);
        Assert.Equal(0, clip.RentedBuffers);
        ring.Dispose();
        Assert.Equal(ringPool.Rented, ringPool.Returned);
    }

    [Fact]
    public void TheTimeBound_HoldsWithoutCollection()
    {
        var recorderOptions = new RecorderOptions { RingDuration = TimeSpan.FromSeconds(1) };
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var recorder = new ClipRecorder(recorderOptions, new MonotonicClock(time));
        for (var i = 0; i < 100; i++)
        {
            recorder.Add(new Frame(i, Ms(i * 100), DateTimeOffset.UnixEpoch, 64, 48, "jpeg", new byte[100]));
        }

        Assert.Equal(11, recorder.Counters.RingFrames);
    }

    private static void Feed(RecordingRing ring, Frame frame, SignalUpdate signal, RecorderOptions options)
    {
        ring.Add(frame);
        ring.Add(signal with { Sample = signal.Sample with { Time = frame.Time } });
        ring.TrimBefore(frame.Time - options.RingDuration);
    }

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        return bytes;
    }

    /// <summary>Hands out exact power-of-two buffers and counts rents and returns.</summary>
    private sealed class CountingPool : ArrayPool<byte>
    {
        public int Rented { get; private set; }

        public int Returned { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            Rented++;
            return new byte[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)minimumLength)];
        }

        public override void Return(byte[] array, bool clearArray = false) => Returned++;
    }
}

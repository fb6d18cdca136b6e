using System.Buffers;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>
/// The runner prepares the next frame (decode, resize) in the engine's other input slot while the
/// current one is run and published: overlap, the one-frame bound, drops counted as before, and
/// every frame's signals computed from its own slot. The agent does this on GPU providers only; with
/// no GPU here it is asked for on the CPU provider, where the engine's slots work the same. By
/// default on the CPU provider each frame is prepared and run in turn.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DecodeAheadTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly SignalBus _bus = new(new SignalBusOptions());
    private ShadowModelSet? _set;

    [Fact]
    public async Task NextFrame_IsDecoded_WhileTheRunnerIsStillOnTheCurrentOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var model = TestModels.Regressor();
        model.QueueCapacity = 4;
        var next = new WatchedFrame(TestFrames.Rgb(16, 16, 255, 51, 0, sequence: 1));
        var sawNextDecoded = false;

        // The runner thread stays on frame 0 (inside its outcome callback, after its run) until frame
        // 1's pixels are read: a runner that decodes only after finishing frame 0 never gets there.
        var runner = Runner(model, outcome =>
        {
            if (outcome == FrameOutcome.Inferred && !sawNextDecoded)
            {
                sawNextDecoded = next.Decoding.Wait(Deadline, ct);
            }
        });
        runner.Offer(TestFrames.Rgb(16, 16, 255, 51, 0, sequence: 0));
        runner.Offer(next.Frame);
        var running = runner.RunAsync(ct);
        runner.Complete();
        await running.WaitAsync(Deadline, ct);

        Assert.True(sawNextDecoded, "frame 1 was not decoded while the runner was still on frame 0");
        Assert.Equal(2, runner.Status.FramesInferred);
    }

    [Fact]
    public async Task OnTheCpuProvider_ByDefault_AndWhenCudaFallsBackToIt_EachFrameIsPreparedAndRunInTurn()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var (asked, first) in new[] { (ModelExecutionProvider.Cpu, 0), (ModelExecutionProvider.Cuda, 10) })
        {
            var model = TestModels.Regressor();
            model.ExecutionProviders.Add(asked);
            model.QueueCapacity = 4;
            var next = new WatchedFrame(TestFrames.Rgb(16, 16, 255, 51, 0, sequence: first + 1));
            bool? nextDecodedDuringFrame0 = null;
            var runner = Runner(model, outcome => nextDecodedDuringFrame0 ??= next.Decoding.IsSet, decodeAhead: null);
            Assert.False(runner.DecodesAhead, $"asked for {asked}: decodes ahead on the CPU provider");

            runner.Offer(TestFrames.Rgb(16, 16, 255, 51, 0, sequence: first));
            runner.Offer(next.Frame);
            var running = runner.RunAsync(ct);
            runner.Complete();
            await running.WaitAsync(Deadline, ct);

            Assert.False(nextDecodedDuringFrame0, $"asked for {asked}: frame 1 was decoded before frame 0 was published");
            Assert.True(next.Decoding.IsSet);
            Assert.Equal(2, runner.Status.FramesInferred);
            Assert.Equal([first * 33.0, (first + 1) * 33.0], History("shadow.steer").TakeLast(2).Select(s => s.Time.TotalMilliseconds));
            _set?.Dispose();
        }
    }

    [Fact]
    public async Task OneFrameAhead_NoMore_TheRestWaitInTheDropOldestQueue_AndDropsAreCounted()
    {
        var ct = TestContext.Current.CancellationToken;
        var model = TestModels.Regressor();
        model.QueueCapacity = 2;
        using var release = new ManualResetEventSlim();
        using var onFrame0 = new ManualResetEventSlim();
        var outcomes = new List<FrameOutcome>();
        var runner = Runner(model, outcome =>
        {
            lock (outcomes)
            {
                outcomes.Add(outcome);
            }

            if (outcome == FrameOutcome.Inferred && !onFrame0.IsSet)
            {
                onFrame0.Set();
                release.Wait(Deadline, ct);
            }
        });
        var frames = Enumerable.Range(0, 6).Select(i => new WatchedFrame(TestFrames.Rgb(16, 16, 255, 51, 0, sequence: i))).ToArray();
        var running = runner.RunAsync(ct);

        // Frame 0 runs and holds the runner; frame 1 is prepared in the other slot.
        Assert.True(runner.Offer(frames[0].Frame));
        Assert.True(onFrame0.Wait(Deadline, ct));
        Assert.True(runner.Offer(frames[1].Frame));
        Assert.True(frames[1].Decoding.Wait(Deadline, ct));

        // Both slots taken: 2 and 3 wait in the queue of two, and 4 and 5 push them out.
        for (var i = 2; i < 6; i++)
        {
            runner.Offer(frames[i].Frame);
        }

        Assert.Equal(2, runner.Status.FramesDropped);
        Assert.All(frames[2..], f => Assert.False(f.Decoding.IsSet, $"frame {f.Frame.Sequence} was decoded more than one frame ahead"));

        release.Set();
        runner.Complete();
        await running.WaitAsync(Deadline, ct);

        Assert.Equal(4, runner.Status.FramesInferred);
        Assert.False(frames[2].Decoding.IsSet || frames[3].Decoding.IsSet, "a dropped frame was decoded");
        Assert.Equal([0.0, 33.0, 4 * 33.0, 5 * 33.0], History("shadow.steer").Select(s => s.Time.TotalMilliseconds));
        Assert.Equal(2, outcomes.Count(o => o == FrameOutcome.Dropped));
    }

    [Fact]
    public async Task FramesOfAlternatingSizes_EachGetsTheBoxesOfItsOwnLetterbox()
    {
        // The letterbox (where the image lies in the input) differs per frame size, and the boxes are
        // mapped back through it: a frame read from the wrong slot or area gets another frame's boxes.
        var ct = TestContext.Current.CancellationToken;
        var model = TestModels.YoloV8(ImageResize.Letterbox);
        model.QueueCapacity = 16;
        Frame[] frames = [.. Enumerable.Range(0, 8).Select(i => i % 2 == 0
            ? TestFrames.Rgb(64, 32, 200, 30, 30, sequence: i)
            : TestFrames.Rgb(24, 48, 30, 200, 30, sequence: i))];
        using var serial = TestModels.Load(model);
        var expected = frames.Select(f =>
        {
            var outputs = new SignalValue[1];
            serial.Infer(f, outputs);
            return outputs[0].AsDetections.ToArray();
        }).ToArray();
        Assert.NotEqual(expected[0], expected[1]);

        var runner = Runner(model);
        foreach (var frame in frames)
        {
            runner.Offer(frame);
        }

        var running = runner.RunAsync(ct);
        runner.Complete();
        await running.WaitAsync(Deadline, ct);

        var published = History("shadow.boxes");
        Assert.Equal(frames.Select(f => f.Time), published.Select(s => s.Time));
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.Equal(expected[i], published[i].Value.AsDetections);
        }
    }

    private ShadowModelRunner Runner(ShadowModelOptions model, Action<FrameOutcome>? observe = null, bool? decodeAhead = true)
    {
        var options = new InferenceOptions();
        options.Models.Add(model);
        _set = ShadowModelSet.Load(options, AppContext.BaseDirectory, NullLogger<ShadowModelSet>.Instance);
        return new ShadowModelRunner(Assert.Single(_set.Models), _bus, NullLogger<ShadowModelRunner>.Instance, observe, decodeAhead);
    }

    private SignalSample[] History(string signal)
    {
        Assert.True(_bus.TryGetId(signal, out var id), signal);
        var samples = new SignalSample[_bus.HistoryCapacity];
        return samples[.._bus.CopyHistory(id, samples)];
    }

    public void Dispose() => _set?.Dispose();

    /// <summary>A frame whose pixel bytes tell when the decoder first reads them.</summary>
    private sealed class WatchedFrame : MemoryManager<byte>
    {
        private readonly byte[] _bytes;
        private readonly bool _watching;

        public WatchedFrame(Frame frame)
        {
            _bytes = frame.Data.ToArray();

            // Making the Memory reads the span once (for its length): that is not the decoder.
            Frame = frame with { Data = Memory };
            _watching = true;
        }

        public Frame Frame { get; }

        public ManualResetEventSlim Decoding { get; } = new();

        public override Span<byte> GetSpan()
        {
            if (_watching)
            {
                Decoding.Set();
            }

            return _bytes;
        }

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            Decoding.Set();
            return _bytes.AsMemory(elementIndex).Pin();
        }

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing) => Decoding.Dispose();
    }
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>Several models at once: each on its own bounded drop-oldest queue and frame stride, publishing to the real signal bus.</summary>
[Trait("Category", "Integration")]
public sealed class ShadowModelRunnerTests : IDisposable
{
    private readonly SignalBus _bus = new(new SignalBusOptions());
    private readonly List<FrameOutcome> _outcomes = [];
    private ShadowModelSet? _set;
    private List<Task> _running = [];

    [Fact]
    public async Task DetectorEveryFrame_RegressorEveryFifth_EachPublishesItsOwnFrames()
    {
        var detector = TestModels.YoloV8();
        detector.QueueCapacity = 16;
        var regressor = TestModels.Regressor();
        regressor.EveryNthFrame = 5;
        regressor.QueueCapacity = 16;
        var (runners, set) = Start(detector, regressor);

        for (var i = 0; i < 10; i++)
        {
            foreach (var runner in runners)
            {
                runner.Offer(TestFrames.Rgb(32, 32, 255, 51, 0, sequence: i));
            }
        }

        await CompleteAsync(runners);

        Assert.Equal(10, set.Models[0].Status.FramesInferred);
        Assert.Equal(2, set.Models[1].Status.FramesInferred);
        Assert.Equal([0L, 33L * 5], History("shadow.steer").Select(s => (long)s.Time.TotalMilliseconds));
        Assert.Equal(10, History("shadow.boxes").Length);
        Assert.Equal(1.0, History("shadow.steer")[^1].Value.Number, 5);
    }

    [Fact]
    public async Task ModelBehind_DropsTheOldestFrames_AndCountsThemPerModel()
    {
        var slow = TestModels.Regressor();
        slow.QueueCapacity = 2;
        var fast = TestModels.YoloV8();
        fast.QueueCapacity = 16;
        var (runners, set) = Start(run: false, slow, fast);

        // Nothing consumes yet: the regressor's queue of 2 overflows, the detector's of 16 does not.
        for (var i = 0; i < 10; i++)
        {
            runners.ForEach(r => r.Offer(TestFrames.Rgb(32, 32, 255, 51, 0, sequence: i)));
        }

        Assert.Equal(8, set.Models[0].Status.FramesDropped);
        Assert.Equal(0, set.Models[1].Status.FramesDropped);

        await CompleteAsync(runners, start: true);

        // The newest two frames survived.
        Assert.Equal([8 * 33.0, 9 * 33.0], History("shadow.steer").Select(s => s.Time.TotalMilliseconds));
        Assert.Equal(8, _outcomes.Count(o => o == FrameOutcome.Dropped));
    }

    [Fact]
    public async Task CorruptFrame_IsSkippedAndCounted_TheModelCarriesOn()
    {
        var regressor = TestModels.Regressor();
        regressor.QueueCapacity = 8;
        var (runners, set) = Start(regressor);
        var runner = Assert.Single(runners);
        var good = TestFrames.Rgb(16, 16, 255, 51, 0, sequence: 2);
        var wrongSize = TestFrames.Rgb(16, 16, 255, 51, 0, sequence: 1) with { Height = 15 };
        var corruptJpeg = TestFrames.Jpeg(16, 16, SkiaSharp.SKColors.Red, sequence: 0) with { Data = new byte[64] };

        runner.Offer(corruptJpeg);
        runner.Offer(wrongSize);
        runner.Offer(good);
        await CompleteAsync(runners);

        Assert.Equal(2, set.Models[0].Status.CorruptFrames);
        Assert.Equal(1, set.Models[0].Status.FramesInferred);
        Assert.Equal([FrameOutcome.Corrupt, FrameOutcome.Corrupt, FrameOutcome.Inferred], _outcomes);
        Assert.Equal(good.Time, Assert.Single(History("shadow.steer")).Time);
    }

    [Fact]
    public async Task ModelFailingEveryRun_IsTakenOutOfService_AndItsSignalsMarkedUnavailable()
    {
        // Its output shape depends on the pixels: bright frames no longer fit the buffers sized at load.
        var broken = new ShadowModelOptions
        {
            Name = "dynamic",
            ModelPath = TestModels.Path("test-dynamic-output.onnx"),
            QueueCapacity = 32,
            Output = new ModelOutputOptions { Kind = ModelOutputKind.Embedding, Tensor = "bright", EmbeddingSignal = "shadow.bright" },
        };
        var (runners, set) = Start(run: false, broken);
        var runner = Assert.Single(runners);
        for (var i = 0; i < ShadowModelRunner.MaxConsecutiveErrors + 5; i++)
        {
            Assert.True(runner.Offer(TestFrames.Rgb(4, 4, 255, 255, 255, sequence: i)));
        }

        // The runner stops by itself: nobody completes its queue.
        await runner.RunAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var status = set.Models[0].Status;
        Assert.False(status.Running);
        Assert.Equal(ShadowModelRunner.MaxConsecutiveErrors, status.Errors);
        Assert.StartsWith($"{ShadowModelRunner.MaxConsecutiveErrors} runs in a row failed", status.Failure, StringComparison.Ordinal);
        Assert.StartsWith("shadow.bright: model 'dynamic' stopped:", _bus.Availability.ReasonFor(["shadow.bright"]), StringComparison.Ordinal);
        Assert.False(runner.Offer(TestFrames.Rgb(4, 4, 255, 255, 255)));
    }

    private (List<ShadowModelRunner> Runners, ShadowModelSet Set) Start(params ShadowModelOptions[] models) => Start(run: true, models);

    private (List<ShadowModelRunner> Runners, ShadowModelSet Set) Start(bool run, params ShadowModelOptions[] models)
    {
        var options = new InferenceOptions();
        foreach (var model in models)
        {
            options.Models.Add(model);
        }

        _set = ShadowModelSet.Load(options, AppContext.BaseDirectory, NullLogger<ShadowModelSet>.Instance);
        var runners = _set.Models.Select(m => new ShadowModelRunner(m, _bus, NullLogger<ShadowModelRunner>.Instance, Observe)).ToList();
        if (run)
        {
            _running = [.. runners.Select(r => r.RunAsync(TestContext.Current.CancellationToken))];
        }

        return (runners, _set);
    }

    private void Observe(FrameOutcome outcome)
    {
        lock (_outcomes)
        {
            _outcomes.Add(outcome);
        }
    }

    private async Task CompleteAsync(List<ShadowModelRunner> runners, bool start = false)
    {
        if (start)
        {
            _running = [.. runners.Select(r => r.RunAsync(TestContext.Current.CancellationToken))];
        }

        runners.ForEach(r => r.Complete());
        await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    private SignalSample[] History(string signal)
    {
        Assert.True(_bus.TryGetId(signal, out var id), signal);
        var samples = new SignalSample[_bus.HistoryCapacity];
        return samples[.._bus.CopyHistory(id, samples)];
    }

    public void Dispose() => _set?.Dispose();
}

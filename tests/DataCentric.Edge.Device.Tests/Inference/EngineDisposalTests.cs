using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Simulation;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>
/// A host that stops under load disposes the engine while its worker may still be inside Infer.
/// Native buffers freed under a running session or decoder used to crash the test process (SIGSEGV in
/// libSkiaSharp and libonnxruntime): the engine now finishes the run, then refuses the next one.
/// </summary>
[Trait("Category", "Integration")]
public sealed class EngineDisposalTests
{
    [Fact]
    public async Task Dispose_WhileAnotherThreadInfers_WaitsForTheRun_AndLaterRunsAreRefused()
    {
        using var renderer = new SceneRenderer(640, 480, 80);
        var scene = new SyntheticScene(new SyntheticSceneOptions());
        var frame = new Frame(0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, 640, 480, "jpeg", renderer.RenderJpeg(scene.StateAt(TimeSpan.FromSeconds(3))));
        var engine = OnnxInferenceEngine.Load(ObstacleModelTests.ObstacleModelOptions(), AppContext.BaseDirectory);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;

        var worker = Task.Run(() =>
        {
            var outputs = new SignalValue[2];
            while (true)
            {
                try
                {
                    engine.Infer(frame, outputs);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                runs++;
                started.TrySetResult();
            }
        }, TestContext.Current.CancellationToken);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        engine.Dispose();
        await worker.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(runs > 0);
        Assert.Throws<ObjectDisposedException>(() => engine.Infer(frame, new SignalValue[2]));
        engine.Dispose();
    }
}

using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using SkiaSharp;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>
/// The per-frame path allocates (almost) nothing managed in steady state: measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> over many frames after a warm-up, not timed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AllocationTests
{
    private const int Frames = 50;

    // Measured here: 32 B/frame for raw frames (the bound run itself), 248 B/frame for JPEG (SkiaSharp's
    // data and codec handles). ONNX Runtime's Run with named OrtValues alone costs ~250 B (STACK-NOTES).
    private const long RawFrameBudget = 128;
    private const long JpegFrameBudget = 512;

    [Fact]
    public void RawRgbFrames_ToNumberSignals_AllocateAlmostNothing()
    {
        using var engine = TestModels.Load(TestModels.Regressor());
        var perFrame = AllocatedPerFrame(engine, TestFrames.Rgb(640, 480, 200, 100, 50));

        Assert.InRange(perFrame, 0, RawFrameBudget);
    }

    [Fact]
    public void JpegFrames_ThroughDecodeResizeAndModel_StayWithinTheBudget()
    {
        using var engine = TestModels.Load(TestModels.Regressor());
        var perFrame = AllocatedPerFrame(engine, TestFrames.Jpeg(640, 480, new SKColor(200, 100, 50)));

        Assert.InRange(perFrame, 0, JpegFrameBudget);
    }

    [Fact]
    public void JpegFrames_ToResNet18Embedding_AllocateTheVectorAndLittleElse()
    {
        using var engine = OnnxInferenceEngine.Load(ResNet18.EmbedderOptions(), AppContext.BaseDirectory);
        var perFrame = AllocatedPerFrame(engine, TestFrames.Jpeg(640, 480, new SKColor(200, 100, 50)), frames: 5);

        // The published vector (512 floats) is owned by the signal bus: a new array per frame, by contract.
        var vector = (512 * sizeof(float)) + 24;
        Assert.InRange(perFrame, vector, vector + JpegFrameBudget);
    }

    /// <summary>
    /// Steady-state bytes per frame: the least of three rounds, so a one-off allocation on this
    /// thread (seen once under a loaded CI run: 173 B/frame in one round, 32 in every other) does
    /// not count as a per-frame cost, while a real per-frame allocation shows in every round.
    /// </summary>
    private static long AllocatedPerFrame(OnnxInferenceEngine engine, Frame frame, int frames = Frames)
    {
        var outputs = new SignalValue[engine.Outputs.Count];
        for (var i = 0; i < 3; i++)
        {
            engine.Infer(frame, outputs);
        }

        var perFrame = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < frames; i++)
            {
                engine.Infer(frame, outputs);
            }

            perFrame = Math.Min(perFrame, (GC.GetAllocatedBytesForCurrentThread() - before) / frames);
        }

        TestContext.Current.SendDiagnosticMessage($"{frame.Format} {frame.Width}×{frame.Height} → {engine.Model.Name}: {perFrame} B/frame");
        return perFrame;
    }
}

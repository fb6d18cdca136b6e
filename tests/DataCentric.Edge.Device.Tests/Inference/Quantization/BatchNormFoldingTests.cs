using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Simulation;
using DataCentric.Edge.Quantize;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Device.Tests.Inference.Quantization;

/// <summary>Steps (a) and (b) alone, in float: ResNet18 with its BatchNormalization folded and moved to opset 13 computes what the original does.</summary>
[Trait("Category", "Integration")]
public sealed class BatchNormFoldingTests
{
    [Fact]
    public void FoldedResNet18_GivesTheOriginalsOutput_Within1e4Relative()
    {
        var model = OnnxModelFile.Load(ResNet18.OnnxPath);
        var folded = ModelQuantizer.FoldAndUpgrade(model, ResNet18.OnnxPath);
        Assert.Equal(22, folded);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "BatchNormalization");

        // No ONNX Runtime optimisation: the original runs its BatchNormalization nodes, not ORT's own folding.
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 2 };
        using var original = new InferenceSession(ResNet18.OnnxPath, options);
        using var foldedSession = new InferenceSession(model.ToByteArray(), options);
        using var renderer = new SceneRenderer(640, 480, 80);
        using var preprocessor = new ImagePreprocessor(ResNet18.EmbedderOptions().Input, 224, 224);
        var pixels = new float[3 * 224 * 224];
        var worst = 0.0;
        foreach (var state in new[] { new SceneState(-1, false, double.PositiveInfinity, false, 0.2), new SceneState(1, true, 9, true, 0.7) })
        {
            preprocessor.Write("jpeg", 640, 480, renderer.RenderJpeg(state), pixels);
            var expected = Run(original, pixels);
            var actual = Run(foldedSession, pixels);
            var scale = expected.Max(Math.Abs);
            worst = Math.Max(worst, expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() / scale);
        }

        TestContext.Current.SendDiagnosticMessage($"folded vs original: max |difference| / max |output| = {worst:E2}");
        Assert.True(worst <= 1e-4, $"relative difference {worst:E2}");
    }

    private static float[] Run(InferenceSession session, float[] pixels)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, 224, 224]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["Input247"], [input], ["Pooling395_Output_0"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}

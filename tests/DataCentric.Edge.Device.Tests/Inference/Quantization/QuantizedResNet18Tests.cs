using System.Numerics.Tensors;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Simulation;
using DataCentric.Edge.Quantize;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace DataCentric.Edge.Device.Tests.Inference.Quantization;

/// <summary>ResNet18 quantized to int8 QDQ by tools/Quantize, run by the product's engine against the float model.</summary>
[Trait("Category", "Integration")]
public sealed class QuantizedResNet18Tests(QuantizedResNet18 quantized) : IClassFixture<QuantizedResNet18>, IDisposable
{
    private readonly SceneRenderer _renderer = new(640, 480, 80);
    private readonly OnnxInferenceEngine _float = OnnxInferenceEngine.Load(ResNet18.EmbedderOptions(), AppContext.BaseDirectory);
    private readonly OnnxInferenceEngine _int8 = OnnxInferenceEngine.Load(quantized.EmbedderOptions(), AppContext.BaseDirectory);

    /// <summary>Scenes the calibration did not see: the synthetic scene between the calibration instants, and hand-picked states.</summary>
    [Fact]
    public void Embeddings_OnHeldOutScenes_AreCloseToTheFloatModels()
    {
        var scene = new SyntheticScene(new SyntheticSceneOptions());
        var calibration = CalibrationFrames.SyntheticTimes(CalibrationFrames.DefaultCount);
        // Halfway between calibration instants (about 100 ms from either: a different frame of the scene).
        var times = CalibrationFrames.HeldOutTimes(12);
        Assert.All(times, t => Assert.True(calibration.Min(c => (c - t).Duration()) >= TimeSpan.FromMilliseconds(50), $"{t} is next to a calibration frame"));
        var states = times.Select(scene.StateAt).Concat(
        [
            new SceneState(-1, false, double.PositiveInfinity, false, 0.93),
            new SceneState(3, true, 7.5, true, 0.61),
            new SceneState(3, true, 33, false, 0.07),
        ]).ToList();

        var similarities = states
            .Select(s => (double)TensorPrimitives.CosineSimilarity<float>(ResNet18.Embed(_float, _renderer, s), ResNet18.Embed(_int8, _renderer, s)))
            .ToList();

        TestContext.Current.SendDiagnosticMessage(
            $"int8 vs float cosine over {similarities.Count} held-out scenes: min {similarities.Min():F4}, mean {similarities.Average():F4}, max {similarities.Max():F4}");
        // Measured here: min 0.9987 over these scenes (x64, ONNX Runtime 1.31.1); 0.99 leaves 8× that error.
        Assert.All(similarities, s => Assert.True(s >= 0.99, $"cosine {s:F4}"));
    }

    [Fact]
    public void Embedding_StillSeparatesAnObstacleAheadFromTheEmptyRoad()
    {
        var (same, different) = ResNet18.ObstacleSeparation(state => ResNet18.Embed(_int8, _renderer, state));

        TestContext.Current.SendDiagnosticMessage($"int8 cosine distance: empty/empty {same:F5}, empty/obstacle at 5 m {different:F5}");
        Assert.True(different > 2 * same, $"empty/obstacle {different} vs empty/empty {same}");
    }

    [Fact]
    public void OnnxRuntime_FusesTheQdqGraph_IntoQLinearConvAndQLinearAdd()
    {
        var optimised = quantized.Combine("optimised.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = optimised })
        using (new InferenceSession(quantized.Path, options))
        {
        }

        var ops = OnnxModelFile.Load(optimised).Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        TestContext.Current.SendDiagnosticMessage($"ONNX Runtime's optimised graph: {string.Join(", ", ops.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"))}");
        Assert.Equal(22, ops.GetValueOrDefault("QLinearConv"));
        Assert.Equal(9, ops.GetValueOrDefault("QLinearAdd"));
        Assert.DoesNotContain(ops.Keys, op => op is "Conv" or "FusedConv" or "Add" or "Relu");
    }

    [Fact]
    public void File_IsUnderAThirdOfTheFloatModel_WithInt8Weights()
    {
        var input = new FileInfo(ResNet18.OnnxPath).Length;
        var output = new FileInfo(quantized.Path).Length;
        TestContext.Current.SendDiagnosticMessage($"float {input:N0} B, int8 {output:N0} B ({100.0 * output / input:F1} %)");
        Assert.True(output < 0.30 * input, $"{output} of {input}");

        var model = OnnxModelFile.Load(quantized.Path);
        Assert.Equal(OpsetUpgrade.TargetOpset, model.OpsetImport.Single().Version);
        var weights = model.Graph.Initializer.Where(t => t.Dims.Count == 4).ToList();
        Assert.Equal(22, weights.Count);
        Assert.All(weights, w => Assert.Equal((int)TensorProto.Types.DataType.Int8, w.DataType));
    }

    [Fact]
    public void Quantizing_TheSameModelAgain_GivesTheSameBytes()
    {
        var again = quantized.Combine("again.onnx");
        ModelQuantizer.Quantize(QuantizedResNet18.Request(again));

        Assert.Equal(File.ReadAllBytes(quantized.Path), File.ReadAllBytes(again));
    }

    [Fact]
    public void Compare_OnThisMachinesKernels_AcceptsAtTheDefaultThreshold_AndRefusesAStricterOne()
    {
        string[] Args(params string[] extra) =>
            ["compare", ResNet18.OnnxPath, quantized.Path, "--input", "Input247", "--mean", "123.675,116.28,103.53", "--std", "58.395,57.12,57.375", .. extra];
        var output = new StringWriter();

        Assert.Equal(0, QuantizeCommand.Run(Args(), output, TextWriter.Null));
        TestContext.Current.SendDiagnosticMessage(output.ToString().Trim());
        Assert.Matches(@"^Pooling395_Output_0: cosine similarity over 12 frames: min 0\.99\d\d, mean 0\.99\d\d", output.ToString());
        Assert.Equal(CompareCommand.BelowThreshold, QuantizeCommand.Run(Args("--min-cosine", "0.99999"), TextWriter.Null, TextWriter.Null));
    }

    [Fact]
    public void Compare_NamingAnInputTheModelsLack_IsBadInput()
    {
        var error = new StringWriter();

        var code = QuantizeCommand.Run(["compare", ResNet18.OnnxPath, quantized.Path, "--input", "image"], TextWriter.Null, error);

        Assert.Equal(QuantizeCommand.BadInput, code);
        Assert.Contains("no image input 'image' shaped [1,3,H,W] (inputs: Input247)", error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _int8.Dispose();
        _float.Dispose();
        _renderer.Dispose();
    }
}

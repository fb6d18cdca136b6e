using System.Numerics.Tensors;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Onnx;
using DataCentric.Edge.Device.Simulation;
using DataCentric.Edge.Quantize;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace DataCentric.Edge.Device.Tests.Onnx.Quantization;

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
        var times = Enumerable.Range(0, 12).Select(i => TimeSpan.FromSeconds(0.21 + (i * 0.53))).ToList();
        Assert.DoesNotContain(times, calibration.Contains);
        var states = times.Select(scene.StateAt).Concat(
        [
            new SceneState(-1, false, double.PositiveInfinity, false, 0.93),
            new SceneState(3, true, 7.5, true, 0.61),
            new SceneState(3, true, 33, false, 0.07),
        ]).ToList();

        var similarities = states.Select(s => (double)TensorPrimitives.CosineSimilarity<float>(Embed(_float, s), Embed(_int8, s))).ToList();

        TestContext.Current.SendDiagnosticMessage(
            $"int8 vs float cosine over {similarities.Count} held-out scenes: min {similarities.Min():F4}, mean {similarities.Average():F4}, max {similarities.Max():F4}");
        Assert.All(similarities, s => Assert.True(s >= 0.98, $"cosine {s:F4}"));
    }

    [Fact]
    public void Embedding_StillSeparatesAnObstacleAheadFromTheEmptyRoad()
    {
        var empty = Embed(_int8, new SceneState(-1, false, double.PositiveInfinity, false, 0.3));
        var emptyLater = Embed(_int8, new SceneState(-1, false, double.PositiveInfinity, false, 0.35));
        var close = Embed(_int8, new SceneState(0, true, 5, true, 0.3));

        var same = 1 - TensorPrimitives.CosineSimilarity<float>(empty, emptyLater);
        var different = 1 - TensorPrimitives.CosineSimilarity<float>(empty, close);
        TestContext.Current.SendDiagnosticMessage($"int8 cosine distance: empty/empty {same:F4}, empty/obstacle at 5 m {different:F4}");
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

    private float[] Embed(OnnxInferenceEngine engine, SceneState state)
    {
        var frame = new Frame(0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, 640, 480, "jpeg", _renderer.RenderJpeg(state));
        var outputs = new SignalValue[1];
        engine.Infer(frame, outputs);
        return outputs[0].AsVector.ToArray();
    }

    public void Dispose()
    {
        _int8.Dispose();
        _float.Dispose();
        _renderer.Dispose();
    }
}

using System.Numerics.Tensors;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Simulation;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>
/// The perception demo's embedder, run by ONNX Runtime on rendered frames of the synthetic scene: a
/// car a few centimetres nearer barely moves the vector, a car much nearer or gone moves it far, so
/// diversity sampling on it tells a long stop from a changing scene.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SceneEmbeddingModelTests : IDisposable
{
    private readonly SceneRenderer _renderer = new(640, 480, 80);
    private readonly OnnxInferenceEngine _engine = OnnxInferenceEngine.Load(Options(), AppContext.BaseDirectory);

    public static ShadowModelOptions Options() => new()
    {
        Name = "scene-embedding",
        ModelPath = Path.Combine("models", "scene-embedding.onnx"),
        Output = new ModelOutputOptions { Kind = ModelOutputKind.Embedding, Tensor = "embedding" },
    };

    [Fact]
    public void Embedding_Has192UnitLengthValues()
    {
        var vector = Embed(Obstacle(20));

        Assert.Equal(192, vector.Length);
        Assert.InRange(MathF.Sqrt(TensorPrimitives.SumOfSquares(vector)), 0.999f, 1.001f);
    }

    [Fact]
    public void AlikeFrames_LieCloserThanDifferentScenes()
    {
        var standing = Embed(Obstacle(10));
        var barelyMoved = TensorPrimitives.Distance(standing, Embed(Obstacle(9.9)));
        var muchNearer = TensorPrimitives.Distance(standing, Embed(Obstacle(4)));
        var gone = TensorPrimitives.Distance(standing, Embed(new SceneState(-1, false, double.PositiveInfinity, false, 0.3)));

        TestContext.Current.SendDiagnosticMessage($"distance to 9.9 m {barelyMoved:F4}, to 4 m {muchNearer:F4}, to an empty road {gone:F4}");
        Assert.True(barelyMoved * 5 < muchNearer, $"9.9 m is {barelyMoved:F4} away, 4 m {muchNearer:F4}");
        Assert.True(barelyMoved * 5 < gone, $"9.9 m is {barelyMoved:F4} away, an empty road {gone:F4}");
    }

    private static SceneState Obstacle(double metres) => new(0, true, metres, metres < 12, 0.3);

    private float[] Embed(SceneState state)
    {
        var frame = new Frame(0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, 640, 480, "jpeg", _renderer.RenderJpeg(state));
        var outputs = new SignalValue[1];
        _engine.Infer(frame, outputs);
        return outputs[0].AsVector.ToArray();
    }

    public void Dispose()
    {
        _engine.Dispose();
        _renderer.Dispose();
    }
}

using System.Numerics.Tensors;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Simulation;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>A real model: ResNet18 as the embedding model on rendered road scenes (640×480 JPEG).</summary>
[Trait("Category", "Integration")]
public sealed class ResNet18EmbeddingTests : IDisposable
{
    private readonly SceneRenderer _renderer = new(640, 480, 80);
    private readonly OnnxInferenceEngine _engine = OnnxInferenceEngine.Load(ResNet18.EmbedderOptions(), AppContext.BaseDirectory);

    [Fact]
    public void Load_ChecksTheModelAndRecordsItsIdentity()
    {
        Assert.True(File.Exists(ResNet18.OnnxPath), ResNet18.OnnxPath);
        Assert.Equal([("shadow.embedding", SignalKind.Vector)], _engine.Outputs);
        Assert.Matches("^[0-9a-f]{64}$", _engine.Model.Sha256);
        Assert.Equal("resnet18", _engine.Model.Name);
        Assert.Empty(_engine.Warnings);
    }

    [Fact]
    public void Embedding_Is512UnitLength_AndTheSameForTheSameFrame()
    {
        var frame = Render(new SceneState(0, true, 20, false, 0.3));
        var first = Embed(frame);
        var second = Embed(frame);

        Assert.Equal(512, first.Length);
        Assert.Equal(1.0, Math.Sqrt(TensorPrimitives.SumOfSquares<float>(first)), 4);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Embedding_SeparatesAnObstacleAheadFromTheEmptyRoad()
    {
        var (same, different) = ResNet18.ObstacleSeparation(state => ResNet18.Embed(_engine, _renderer, state));

        TestContext.Current.SendDiagnosticMessage($"cosine distance: empty/empty {same:F5}, empty/obstacle at 5 m {different:F5}");
        Assert.True(different > 2 * same, $"empty/obstacle {different} vs empty/empty {same}");
    }

    [Fact]
    public void ConfiguredForNhwc_IsRejectedWithTheMismatch()
    {
        var options = ResNet18.EmbedderOptions();
        options.Input.Layout = TensorLayout.Nhwc;

        var e = Assert.Throws<ModelConfigurationException>(() => OnnxInferenceEngine.Load(options, AppContext.BaseDirectory));
        Assert.Contains("input 'Input247' is Float[1,3,224,224]: Input:Layout Nhwc needs 3 channels on axis 3 (it looks Nchw)", e.Message, StringComparison.Ordinal);
    }

    private Frame Render(SceneState state) =>
        new(0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, 640, 480, "jpeg", _renderer.RenderJpeg(state));

    private float[] Embed(Frame frame)
    {
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

using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Simulation;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>
/// The shipped box model, run by ONNX Runtime on rendered frames of the synthetic scene: its box is
/// where the scene's truth says the car is, so the demo's shadow boxes and the simulated
/// controller's can be compared with iou_miss.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ObstacleBoxModelTests : IDisposable
{
    private readonly SceneRenderer _renderer = new(640, 480, 80);
    private readonly OnnxInferenceEngine _engine = OnnxInferenceEngine.Load(Options(), AppContext.BaseDirectory);

    public static ShadowModelOptions Options() => new()
    {
        Name = "obstacle-boxes",
        ModelPath = Path.Combine("models", "obstacle-boxes.onnx"),
        Output = new ModelOutputOptions { Kind = ModelOutputKind.Detection, DetectionLayout = DetectionLayout.YoloV8, Tensor = "output0" },
    };

    [Fact]
    public void EmptyRoad_HasNoBox()
    {
        Assert.Empty(Boxes(new SceneState(-1, false, double.PositiveInfinity, false, 0.3)));
    }

    [Theory]
    [InlineData(50.0)]
    [InlineData(35.0)]
    public void FarObstacle_ScoresBelowTheThreshold(double metres)
    {
        Assert.Empty(Boxes(Obstacle(metres)));
    }

    [Theory]
    [InlineData(18.0)]
    [InlineData(12.0)]
    [InlineData(8.0)]
    [InlineData(4.0)]
    public void NearObstacle_IsBoxedWhereTheSceneSaysItIs(double metres)
    {
        var box = Assert.Single(Boxes(Obstacle(metres)));
        var (x, y, width, height) = SceneGeometry.ObstacleBox(metres);

        var iou = Detection.IntersectionOverUnion(box, new Detection(0, 1, x, y, width, height));

        TestContext.Current.SendDiagnosticMessage($"{metres} m: IoU {iou:F3}, score {box.Score:F2}");
        Assert.InRange(iou, 0.7f, 1f);
        Assert.Equal(0, box.ClassId);
    }

    private static SceneState Obstacle(double metres) => new(0, true, metres, metres < 12, 0.3);

    private IReadOnlyList<Detection> Boxes(SceneState state)
    {
        var frame = new Frame(0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, 640, 480, "jpeg", _renderer.RenderJpeg(state));
        var outputs = new SignalValue[1];
        _engine.Infer(frame, outputs);
        return outputs[0].AsDetections;
    }

    public void Dispose()
    {
        _engine.Dispose();
        _renderer.Dispose();
    }
}

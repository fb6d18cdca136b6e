using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Simulation;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>The shipped obstacle model, run by ONNX Runtime on rendered frames of the synthetic scene.</summary>
[Trait("Category", "Integration")]
public sealed class ObstacleModelTests : IDisposable
{
    private readonly SyntheticScene _scene = new(new SyntheticSceneOptions());
    private readonly SceneRenderer _renderer = new(640, 480, 80);
    private readonly OnnxInferenceEngine _engine = OnnxInferenceEngine.Load(ObstacleModelOptions(), AppContext.BaseDirectory);

    public static ShadowModelOptions ObstacleModelOptions()
    {
        var options = new ShadowModelOptions
        {
            Name = "obstacle-detector",
            ModelPath = Path.Combine("models", "obstacle-detector.onnx"),
            Output = new ModelOutputOptions { Kind = ModelOutputKind.Regression },
        };
        options.Output.Scalars["obstacle_score"] = "shadow.obstacle";
        options.Output.Scalars["redness"] = "shadow.redness";
        return options;
    }

    [Fact]
    public void Score_IsLowOnEmptyRoad()
    {
        Assert.True(Score(new SceneState(-1, false, double.PositiveInfinity, false, 0.3)) < 0.2);
    }

    [Theory]
    [InlineData(40.0)]
    [InlineData(25.0)]
    public void Score_StaysBelowHalf_ForFarObstacles(double metres)
    {
        Assert.True(Score(Obstacle(metres)) < 0.5, $"score at {metres} m");
    }

    [Theory]
    [InlineData(9.0)]
    [InlineData(6.0)]
    [InlineData(4.0)]
    public void Score_IsAboveHalf_ForObstaclesAhead(double metres)
    {
        Assert.True(Score(Obstacle(metres)) > 0.5, $"score at {metres} m");
    }

    [Fact]
    public void Score_RisesAsTheObstacleApproaches()
    {
        var scores = new[] { 50.0, 30.0, 20.0, 12.0, 8.0, 5.0 }.Select(m => Score(Obstacle(m))).ToArray();

        Assert.Equal(scores.Order(), scores);
        Assert.True(scores[^1] - scores[0] > 0.5);
    }

    [Fact]
    public void Load_RecordsSha256AndProducer()
    {
        Assert.Matches("^[0-9a-f]{64}$", _engine.Model.Sha256);
        Assert.Equal("dce-modelgen", _engine.Model.Producer);
        Assert.Equal(["shadow.obstacle", "shadow.redness"], _engine.Outputs.Select(o => o.Name));
    }

    private static SceneState Obstacle(double metres) => new(0, true, metres, metres < 12, 0.3);

    private double Score(SceneState state)
    {
        var frame = new Frame(0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, 640, 480, "jpeg", _renderer.RenderJpeg(state));
        var outputs = new SignalValue[2];
        _engine.Infer(frame, outputs);
        TestContext.Current.SendDiagnosticMessage($"{state.DistanceMetres} m: score {outputs[0].Number:F3}, redness {outputs[1].Number:F4}");
        return outputs[0].Number;
    }

    public void Dispose()
    {
        _engine.Dispose();
        _renderer.Dispose();
    }
}

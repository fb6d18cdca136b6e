using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>Each output adapter on a generated model whose outputs are known exactly (see tools/ModelGen/TestModels.cs).</summary>
[Trait("Category", "Integration")]
public sealed class OutputAdapterTests
{
    private static readonly double[] RedLogits = [10, 0, 0, 5];

    [Fact]
    public void Classification_PublishesTheBestClassAndItsSoftmaxScore()
    {
        using var engine = TestModels.Load(TestModels.Classifier());
        var outputs = Run(engine, TestFrames.Rgb(8, 8, 255, 0, 0));

        Assert.Equal([("shadow.class", SignalKind.Number), ("shadow.score", SignalKind.Number)], engine.Outputs);
        Assert.Equal(0, outputs[0].Number);
        Assert.Equal(Softmax(RedLogits)[0], outputs[1].Number, 5);
    }

    [Fact]
    public void Classification_TopK_PublishesRanksWithLabelsFromTheFile()
    {
        using var dir = new TempDirectory();
        var labels = dir.Combine("labels.txt");
        File.WriteAllLines(labels, ["red", "green", "blue", "other", string.Empty]);
        using var engine = TestModels.Load(TestModels.Classifier(topK: 2, labels: labels));
        var outputs = Run(engine, TestFrames.Rgb(8, 8, 255, 0, 0));

        Assert.Equal(["shadow.class", "shadow.score", "shadow.class.2", "shadow.score.2"], engine.Outputs.Select(o => o.Name));
        Assert.Equal(SignalKind.Text, engine.Outputs[0].Kind);
        Assert.Equal("red", outputs[0].AsText);
        Assert.Equal("other", outputs[2].AsText);
        Assert.Equal(Softmax(RedLogits)[3], outputs[3].Number, 5);
    }

    [Fact]
    public void Classification_WithoutSoftmax_PublishesTheRawScore()
    {
        var options = TestModels.Classifier();
        options.Output.Softmax = false;
        using var engine = TestModels.Load(options);
        var outputs = Run(engine, TestFrames.Rgb(8, 8, 0, 0, 255));

        Assert.Equal(2, outputs[0].Number);
        Assert.Equal(10, outputs[1].Number, 4);
    }

    [Fact]
    public void Classification_LabelsFileOfTheWrongLength_IsRejectedAtLoad()
    {
        using var dir = new TempDirectory();
        var labels = dir.Combine("labels.txt");
        File.WriteAllLines(labels, ["red", "green", "blue"]);

        var e = Assert.Throws<ModelConfigurationException>(() => TestModels.Load(TestModels.Classifier(labels: labels)));
        Assert.Contains("has 3 labels", e.Message, StringComparison.Ordinal);
        Assert.Contains("4 classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void YoloV8_ThresholdsAndSuppressesOverlaps_BoxesInImageCoordinates()
    {
        using var engine = TestModels.Load(TestModels.YoloV8());
        var boxes = Run(engine, TestFrames.Rgb(64, 64, 10, 20, 30))[0].AsDetections;

        Assert.Equal(2, boxes.Count);
        AssertBox(new Detection(0, 0.9f, 4f / 32, 4f / 32, 8f / 32, 8f / 32), boxes[0]);
        AssertBox(new Detection(1, 0.7f, 22f / 32, 20f / 32, 4f / 32, 8f / 32), boxes[1]);
    }

    [Fact]
    public void YoloV8_Letterbox_MapsBoxesBackPastTheBars()
    {
        // A 64×32 frame letterboxed into 32×32 fills rows 8..23: the image is 32×16 inside the input.
        using var engine = TestModels.Load(TestModels.YoloV8(ImageResize.Letterbox));
        var boxes = Run(engine, TestFrames.Rgb(64, 32, 10, 20, 30))[0].AsDetections;

        AssertBox(new Detection(0, 0.9f, 4f / 32, (4f - 8) / 16, 8f / 32, 8f / 16), boxes[0]);
        AssertBox(new Detection(1, 0.7f, 22f / 32, (20f - 8) / 16, 4f / 32, 8f / 16), boxes[1]);
    }

    [Fact]
    public void YoloV8_ThresholdAndIou_ComeFromConfiguration()
    {
        var options = TestModels.YoloV8();
        options.Output.ScoreThreshold = 0.15f;
        options.Output.IouThreshold = 0.9f;
        using var engine = TestModels.Load(options);
        var boxes = Run(engine, TestFrames.Rgb(32, 32, 10, 20, 30))[0].AsDetections;

        Assert.Equal([0.9f, 0.8f, 0.7f, 0.2f], boxes.Select(b => b.Score));
    }

    [Fact]
    public void YoloV5_ScoreIsObjectnessTimesClass()
    {
        using var engine = TestModels.Load(TestModels.YoloV5());
        var boxes = Run(engine, TestFrames.Rgb(32, 32, 10, 20, 30))[0].AsDetections;

        Assert.Equal(2, boxes.Count);
        AssertBox(new Detection(1, 0.72f, 8f / 32, 8f / 32, 16f / 32, 16f / 32), boxes[0]);
        AssertBox(new Detection(0, 0.5f, 2f / 32, 2f / 32, 4f / 32, 4f / 32), boxes[1]);
    }

    [Fact]
    public void Ssd_ReadsCornerBoxesAndPerClassScores()
    {
        using var engine = TestModels.Load(TestModels.Ssd());
        var boxes = Run(engine, TestFrames.Rgb(32, 32, 10, 20, 30))[0].AsDetections;

        var box = Assert.Single(boxes);
        AssertBox(new Detection(2, 0.6f, 0.2f, 0.1f, 0.4f, 0.4f), box);
    }

    [Fact]
    public void Regression_PublishesNamedScalars_ByTensorAndIndex()
    {
        using var engine = TestModels.Load(TestModels.Regressor());
        var outputs = Run(engine, TestFrames.Rgb(16, 16, 255, 51, 0));

        Assert.Equal(["shadow.steer", "shadow.throttle"], engine.Outputs.Select(o => o.Name));
        Assert.Equal(1.0, outputs[0].Number, 5);
        Assert.Equal(0.4, outputs[1].Number, 5);
    }

    [Fact]
    public void Regression_IndexPastTheTensor_IsRejectedAtLoad()
    {
        var options = TestModels.Regressor();
        options.Output.Scalars["controls[2]"] = "shadow.brake";

        var e = Assert.Throws<ModelConfigurationException>(() => TestModels.Load(options));
        Assert.Contains("element 2 of 'controls' [1,2]", e.Message, StringComparison.Ordinal);
    }

    private static SignalValue[] Run(OnnxInferenceEngine engine, Core.Contracts.Frame frame)
    {
        var outputs = new SignalValue[engine.Outputs.Count];
        engine.Infer(frame, outputs);
        return outputs;
    }

    private static double[] Softmax(double[] logits)
    {
        var exp = logits.Select(Math.Exp).ToArray();
        return [.. exp.Select(e => e / exp.Sum())];
    }

    private static void AssertBox(Detection expected, Detection actual)
    {
        Assert.Equal(expected.ClassId, actual.ClassId);
        Assert.Equal(expected.Score, actual.Score, 5);
        Assert.Equal(expected.X, actual.X, 5);
        Assert.Equal(expected.Y, actual.Y, 5);
        Assert.Equal(expected.Width, actual.Width, 5);
        Assert.Equal(expected.Height, actual.Height, 5);
    }
}

using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>
/// What each output kind publishes and reads, and what its configuration must say, known from
/// configuration alone: the same from the adapter table as from validation (one rule, one home).
/// </summary>
[Trait("Category", "Unit")]
public sealed class OutputAdapterDescriptorTests
{
    [Fact]
    public void Classification_PublishesClassThenScorePerRank_ClassAsTextWithLabels()
    {
        var options = new ModelOutputOptions { Kind = ModelOutputKind.Classification, Tensor = "logits", TopK = 3 };

        Assert.Equal(
            [
                ("shadow.class", SignalKind.Number), ("shadow.score", SignalKind.Number),
                ("shadow.class.2", SignalKind.Number), ("shadow.score.2", SignalKind.Number),
                ("shadow.class.3", SignalKind.Number), ("shadow.score.3", SignalKind.Number),
            ],
            OutputAdapter.SignalsOf(options));
        Assert.Equal(["logits"], OutputAdapter.TensorsOf(options));

        options.LabelsPath = "labels.txt";
        Assert.Equal([SignalKind.Text, SignalKind.Number], OutputAdapter.SignalsOf(options).Take(2).Select(s => s.Kind));
    }

    [Fact]
    public void Detection_PublishesBoxes_ReadingOneTensorOrSsdsTwo()
    {
        var options = new ModelOutputOptions { Kind = ModelOutputKind.Detection, Tensor = "output0", BoxesTensor = "boxes", ScoresTensor = "scores" };

        Assert.Equal([("shadow.boxes", SignalKind.Detections)], OutputAdapter.SignalsOf(options));
        Assert.Equal(["output0"], OutputAdapter.TensorsOf(options));

        options.DetectionLayout = DetectionLayout.Ssd;
        Assert.Equal(["boxes", "scores"], OutputAdapter.TensorsOf(options));
    }

    [Fact]
    public void Regression_PublishesScalarsInConfigurationOrder_ReadingEachTensorOnce()
    {
        var options = Regression(("controls[1]", "shadow.throttle"), ("steer", "shadow.steer"), ("controls[0]", "shadow.brake"));

        Assert.Equal(
            [("shadow.throttle", SignalKind.Number), ("shadow.steer", SignalKind.Number), ("shadow.brake", SignalKind.Number)],
            OutputAdapter.SignalsOf(options));
        Assert.Equal(["controls", "steer"], OutputAdapter.TensorsOf(options));
    }

    [Fact]
    public void Embedding_PublishesOneVector()
    {
        var options = new ModelOutputOptions { Kind = ModelOutputKind.Embedding, Tensor = "pooled", EmbeddingSignal = "shadow.look" };

        Assert.Equal([("shadow.look", SignalKind.Vector)], OutputAdapter.SignalsOf(options));
        Assert.Equal(["pooled"], OutputAdapter.TensorsOf(options));
    }

    [Theory]
    [InlineData("classification", "Output:Tensor: required for Classification")]
    [InlineData("embedding", "Output:Tensor: required for Embedding")]
    [InlineData("yolov5", "Output:Tensor: required for Detection")]
    [InlineData("ssd", "Output: SSD detection needs BoxesTensor and ScoresTensor")]
    [InlineData("regression", "Output:Scalars: give at least one tensor → signal")]
    [InlineData("empty boxes signal", "Output: signal names must not be empty")]
    [InlineData("empty class signal", "Output: signal names must not be empty")]
    [InlineData("ranked class signal", "Output: signal 'model.class' must start with 'shadow.' (model outputs are named shadow.*)")]
    [InlineData("scalar", "Output: signal 'steer' must start with 'shadow.' (model outputs are named shadow.*)")]
    public void Problems_AreReportedOnce_WithTheirMessage(string configuration, string expected)
    {
        var options = configuration switch
        {
            "classification" => new ModelOutputOptions { Kind = ModelOutputKind.Classification },
            "embedding" => new ModelOutputOptions { Kind = ModelOutputKind.Embedding },
            "yolov5" => new ModelOutputOptions { Kind = ModelOutputKind.Detection, DetectionLayout = DetectionLayout.YoloV5 },
            "ssd" => new ModelOutputOptions { Kind = ModelOutputKind.Detection, DetectionLayout = DetectionLayout.Ssd, BoxesTensor = "boxes" },
            "regression" => Regression(),
            "empty boxes signal" => new ModelOutputOptions { Kind = ModelOutputKind.Detection, Tensor = "output0", BoxesSignal = " " },

            // The ranks' names (".2") are not empty, and not reported again for the prefix.
            "empty class signal" => new ModelOutputOptions { Kind = ModelOutputKind.Classification, Tensor = "logits", TopK = 2, ClassSignal = string.Empty },

            // Checked as configured: the ranks derived from it (model.class.2, .3) are not reported again.
            "ranked class signal" => new ModelOutputOptions { Kind = ModelOutputKind.Classification, Tensor = "logits", TopK = 3, ClassSignal = "model.class" },
            "scalar" => Regression(("steer", "steer")),
            _ => throw new ArgumentOutOfRangeException(nameof(configuration)),
        };

        Assert.Equal([expected], options.Problems());
    }

    [Fact]
    public void EveryOutputKind_HasExactlyOneAdapter()
    {
        foreach (var kind in Enum.GetValues<ModelOutputKind>())
        {
            Assert.Single(OutputAdapter.Descriptors, d => d.Kind == kind);
        }

        Assert.Equal(Enum.GetValues<ModelOutputKind>().Length, OutputAdapter.Descriptors.Count);
    }

    [Fact]
    public void ValidatedSignalNames_AreTheAdaptersSignals()
    {
        ModelOutputOptions[] outputs =
        [
            new() { Kind = ModelOutputKind.Classification, TopK = 4, ClassSignal = "shadow.kind", ScoreSignal = "shadow.p" },
            new() { Kind = ModelOutputKind.Detection, BoxesSignal = "shadow.cars" },
            Regression(("a", "shadow.a"), ("b[2]", "shadow.b")),
            new() { Kind = ModelOutputKind.Embedding },
        ];

        string[][] expected =
        [
            ["shadow.kind", "shadow.p", "shadow.kind.2", "shadow.p.2", "shadow.kind.3", "shadow.p.3", "shadow.kind.4", "shadow.p.4"],
            ["shadow.cars"],
            ["shadow.a", "shadow.b"],
            ["shadow.embedding"],
        ];

        Assert.Equal(OutputAdapter.Descriptors.Select(d => d.Kind), outputs.Select(o => o.Kind));
        Assert.Equal(expected, outputs.Select(o => o.SignalNames().ToArray()));
        Assert.Equal(expected, outputs.Select(o => OutputAdapter.SignalsOf(o).Select(s => s.Name).ToArray()));
    }

    [Fact]
    public void KindThatNamesNoAdapter_IsAConfigurationProblem_WithNoSignals()
    {
        // The binder takes a number for an enum, so any value can arrive from a file.
        var options = new ModelOutputOptions { Kind = (ModelOutputKind)7, Tensor = "output0" };

        Assert.Equal(["Output:Kind: 7 is not one of Classification, Detection, Regression, Embedding"], options.Problems());
        Assert.Empty(options.SignalNames());
        Assert.Throws<ArgumentOutOfRangeException>(() => OutputAdapter.SignalsOf(options));
    }

    private static ModelOutputOptions Regression(params (string Key, string Signal)[] scalars)
    {
        var options = new ModelOutputOptions { Kind = ModelOutputKind.Regression };
        foreach (var (key, signal) in scalars)
        {
            options.Scalars.Add(key, signal);
        }

        return options;
    }
}

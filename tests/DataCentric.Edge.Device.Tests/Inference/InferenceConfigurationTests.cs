using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device;
using DataCentric.Edge.Device.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>The agent's <c>Inference:Models</c> list: bound, validated whole (every error with its key), loaded.</summary>
[Trait("Category", "Integration")]
public sealed class InferenceConfigurationTests
{
    private static readonly (string Key, string Value)[] TwoModels =
    [
        ("Inference:Models:0:Name", "detector"),
        ("Inference:Models:0:ModelPath", "models/test-yolov8.onnx"),
        ("Inference:Models:0:Input:Name", "images"),
        ("Inference:Models:0:Input:Resize", "Letterbox"),
        ("Inference:Models:0:Output:Kind", "Detection"),
        ("Inference:Models:0:Output:DetectionLayout", "YoloV8"),
        ("Inference:Models:0:Output:Tensor", "output0"),
        ("Inference:Models:0:ExecutionProviders:0", "Cuda"),
        ("Inference:Models:1:Name", "classifier"),
        ("Inference:Models:1:ModelPath", "models/test-classifier.onnx"),
        ("Inference:Models:1:EveryNthFrame", "5"),
        ("Inference:Models:1:IntraOpThreads", "2"),
        ("Inference:Models:1:GraphOptimization", "Basic"),
        ("Inference:Models:1:Input:Mean:0", "0.5"),
        ("Inference:Models:1:Input:Mean:1", "0.5"),
        ("Inference:Models:1:Input:Mean:2", "0.5"),
        ("Inference:Models:1:Output:Kind", "Classification"),
        ("Inference:Models:1:Output:Tensor", "logits"),
        ("Inference:Models:1:Output:TopK", "2"),
    ];

    [Fact]
    public void TwoModels_BindValidateAndLoad_WithACudaRequestFallingBackToCpu()
    {
        var configuration = Configuration(TwoModels);
        Assert.Empty(Validate(configuration));
        var options = Bind(configuration);

        using var set = ShadowModelSet.Load(options, AppContext.BaseDirectory, NullLogger<ShadowModelSet>.Instance);

        Assert.All(set.Models, m => Assert.True(m.Status.Running, m.Status.ToString()));
        Assert.Equal(5, set.Models[1].Options.EveryNthFrame);
        Assert.Equal([0.5f, 0.5f, 0.5f], set.Models[1].Options.Input.Mean);
        Assert.Equal(["shadow.boxes", "shadow.class", "shadow.score", "shadow.class.2", "shadow.score.2"], set.Outputs.Select(o => o.Name));

        // The CPU build of ONNX Runtime has no CUDA provider: a warning, and the model runs on the CPU.
        var warning = Assert.Single(set.Models[0].Engine!.Warnings);
        Assert.StartsWith("Cuda requested but this ONNX Runtime build has only", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void BadModelEntries_AreAllReported_WithTheirKeys()
    {
        var errors = Validate(Configuration(
            TwoModels,
            ("Inference:Models:1:Name", "detector"),
            ("Inference:Models:1:Input:Std:0", "2"),
            ("Inference:Models:1:Output:ClassSignal", "shadow.boxes"),
            ("Inference:Models:0:EveryNthFrame", "0"),
            ("Inference:Models:0:Output:Tensor", "")));

        Assert.Contains(errors, e => e.StartsWith("Inference:Models:1:", StringComparison.Ordinal) && e.Contains("model name 'detector' is used twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Input:Std: give three finite non-zero values", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("signal 'shadow.boxes' is produced by models 'detector' and 'detector'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Inference:Models:0:EveryNthFrame:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Output:Tensor: required for Detection", StringComparison.Ordinal));
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void ModelOutputNamedOutsideShadow_IsRejected_BecauseTriggersAlignOnThePrefix()
    {
        var errors = Validate(Configuration(TwoModels, ("Inference:Models:1:Output:ScoreSignal", "model.score")));

        var error = Assert.Single(errors);
        Assert.StartsWith("Inference:Models:1:", error, StringComparison.Ordinal);
        Assert.Contains("signal 'model.score' must start with 'shadow.'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Inference:Models:0:Input:Layuot", "Nhwc", "Layuot")]
    [InlineData("Inference:Models:0:Output:Kind", "Segmentation", "Segmentation")]
    public void UnknownKeysAndValues_AreReported(string key, string value, string expected)
    {
        var errors = Validate(Configuration(TwoModels, (key, value)));

        TestContext.Current.SendDiagnosticMessage(string.Join(Environment.NewLine, errors));
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    /// <summary>The values, then the overrides on top (as a later configuration source).</summary>
    private static IConfiguration Configuration((string Key, string Value)[] values, params (string Key, string Value)[] overrides) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .AddInMemoryCollection(overrides.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();

    private static InferenceOptions Bind(IConfiguration configuration) =>
        configuration.GetSection(InferenceOptions.SectionName).Get<InferenceOptions>(b => b.ErrorOnUnknownConfiguration = true)!;

    /// <summary>Checked as the agent checks its file at start, with the device's sections.</summary>
    private static IReadOnlyList<string> Validate(IConfiguration configuration) => ConfigurationValidator.Validate(configuration, DeviceConfiguration.Sections);
}

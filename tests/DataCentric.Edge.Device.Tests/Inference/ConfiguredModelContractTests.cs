using DataCentric.Edge.Device.Inference;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>
/// A model release's contract (the model's inputs and outputs, read with ONNX Runtime) checked
/// against the adapters, before the model is loaded: it must agree with what a load accepts.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ConfiguredModelContractTests
{
    public static TheoryData<string> Configured => ["classifier", "yolov8", "yolov5", "ssd", "regressor", "uint8-nhwc"];

    [Theory]
    [MemberData(nameof(Configured))]
    public void AModelItsConfigurationLoads_Fits(string name)
    {
        var model = Models().Single(m => m.Name == name);
        using (TestModels.Load(model))
        {
            // Loads: so the contract check must not refuse it.
        }

        var problems = new ConfiguredModelContract(Models()).Problems(name, OnnxModelContract.Read(model.ModelPath));

        Assert.Empty(problems);
    }

    [Fact]
    public void AClassifierWhereYoloIsConfigured_IsRefused_AsLoadingItWouldBe()
    {
        var yolo = TestModels.YoloV8();
        var classifier = TestModels.Path("test-classifier.onnx");
        var asLoaded = Assert.Throws<ModelConfigurationException>(() => TestModels.Load(new ShadowModelOptions { Name = yolo.Name, ModelPath = classifier, Input = yolo.Input, Output = yolo.Output }));

        var problems = new ConfiguredModelContract([yolo]).Problems(yolo.Name, OnnxModelContract.Read(classifier));

        Assert.Contains("no input named 'images'", asLoaded.Message, StringComparison.Ordinal);
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("no input named 'images'", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("no output named 'output0'", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void AFloatModelWhereUint8PixelsAreConfigured_IsRefused_NamingTheElementType()
    {
        var bytes = TestModels.ByteNhwc(ChannelOrder.Rgb);
        bytes.Input.Name = "image";
        bytes.Input.Layout = TensorLayout.Nchw;

        var problems = new ConfiguredModelContract([bytes]).Problems(bytes.Name, OnnxModelContract.Read(TestModels.Path("test-regressor.onnx")));

        Assert.Contains(problems, p => p.Contains("but Input:Element is Uint8 (the pre-processing writes uint8)", StringComparison.Ordinal));
    }

    [Fact]
    public void AReleaseForAModelNameNotConfigured_IsRefused()
    {
        var problems = new ConfiguredModelContract([TestModels.YoloV8()]).Problems("other", OnnxModelContract.Read(TestModels.Path("test-yolov8.onnx")));

        Assert.Equal(["no model named 'other' is configured under Inference:Models (configured: yolov8)"], problems);
    }

    [Fact]
    public void Read_AFileOnnxRuntimeCannotLoad_NamesIt()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dce-broken-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, File.ReadAllBytes(TestModels.Path("test-yolov8.onnx"))[..64]);
        try
        {
            var e = Assert.Throws<ModelConfigurationException>(() => OnnxModelContract.Read(path));

            Assert.StartsWith($"{path}: ONNX Runtime cannot load it", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<ShadowModelOptions> Models() =>
        [TestModels.Classifier(), TestModels.YoloV8(), TestModels.YoloV5(), TestModels.Ssd(), TestModels.Regressor(), TestModels.ByteNhwc(ChannelOrder.Rgb)];
}

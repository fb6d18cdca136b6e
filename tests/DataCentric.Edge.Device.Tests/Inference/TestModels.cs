using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Inference;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>Configurations of the models tools/ModelGen generates (their known outputs are documented there).</summary>
internal static class TestModels
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "models", file);

    public static ShadowModelOptions Classifier(int topK = 1, string? labels = null) => new()
    {
        Name = "classifier",
        ModelPath = Path("test-classifier.onnx"),
        Input = new ImageInputOptions { Name = "image" },
        Output = new ModelOutputOptions { Kind = ModelOutputKind.Classification, Tensor = "logits", TopK = topK, LabelsPath = labels },
    };

    public static ShadowModelOptions YoloV8(ImageResize resize = ImageResize.Stretch) => new()
    {
        Name = "yolov8",
        ModelPath = Path("test-yolov8.onnx"),
        Input = new ImageInputOptions { Name = "images", Resize = resize },
        Output = new ModelOutputOptions { Kind = ModelOutputKind.Detection, DetectionLayout = DetectionLayout.YoloV8, Tensor = "output0" },
    };

    public static ShadowModelOptions YoloV5() => new()
    {
        Name = "yolov5",
        ModelPath = Path("test-yolov5.onnx"),
        Input = new ImageInputOptions { Name = "images" },
        Output = new ModelOutputOptions { Kind = ModelOutputKind.Detection, DetectionLayout = DetectionLayout.YoloV5, Tensor = "output" },
    };

    public static ShadowModelOptions Ssd() => new()
    {
        Name = "ssd",
        ModelPath = Path("test-ssd.onnx"),
        Input = new ImageInputOptions { Name = "image" },
        Output = new ModelOutputOptions { Kind = ModelOutputKind.Detection, DetectionLayout = DetectionLayout.Ssd, BoxesTensor = "boxes", ScoresTensor = "scores" },
    };

    public static ShadowModelOptions Regressor()
    {
        var options = new ShadowModelOptions
        {
            Name = "regressor",
            ModelPath = Path("test-regressor.onnx"),
            Input = new ImageInputOptions { Name = "image" },
            Output = new ModelOutputOptions { Kind = ModelOutputKind.Regression },
        };
        options.Output.Scalars["steer"] = "shadow.steer";
        options.Output.Scalars["controls[1]"] = "shadow.throttle";
        return options;
    }

    public static ShadowModelOptions ByteNhwc(ChannelOrder order)
    {
        var options = new ShadowModelOptions
        {
            Name = "uint8-nhwc",
            ModelPath = Path("test-uint8-nhwc.onnx"),
            Input = new ImageInputOptions { Name = "pixels", Element = TensorElement.Uint8, Layout = TensorLayout.Nhwc, ChannelOrder = order },
            Output = new ModelOutputOptions { Kind = ModelOutputKind.Regression },
        };
        options.Output.Scalars["channel_means[0]"] = "shadow.c0";
        options.Output.Scalars["channel_means[1]"] = "shadow.c1";
        options.Output.Scalars["channel_means[2]"] = "shadow.c2";
        return options;
    }

    public static OnnxInferenceEngine Load(ShadowModelOptions options) => OnnxInferenceEngine.Load(options, AppContext.BaseDirectory);
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Quantize;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Device.Tests.Inference.Quantization;

/// <summary>ResNet18 quantized once for a test class by tools/Quantize, with its default synthetic calibration.</summary>
public sealed class QuantizedResNet18 : IDisposable
{
    private readonly TempDirectory _directory = new("dce-quantize");

    public QuantizedResNet18()
    {
        Path = _directory.Combine("resnet18-int8.onnx");
        Result = ModelQuantizer.Quantize(Request(Path));
    }

    public string Path { get; }

    public QuantizeResult Result { get; }

    public string Combine(string name) => _directory.Combine(name);

    /// <summary>The command line's example: ResNet18's input, ImageNet mean/std on 0..255 RGB, 32 synthetic frames.</summary>
    public static QuantizeRequest Request(string output) =>
        new() { InputPath = ResNet18.OnnxPath, OutputPath = output, Input = ResNet18.EmbedderOptions().Input };

    /// <summary>The product's embedder configuration of ResNet18, pointed at the quantized file.</summary>
    public ShadowModelOptions EmbedderOptions()
    {
        var options = ResNet18.EmbedderOptions();
        options.Name = "resnet18-int8";
        options.ModelPath = Path;
        return options;
    }

    public void Dispose() => _directory.Dispose();
}

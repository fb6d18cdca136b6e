using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.TestKit;
using SkiaSharp;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>Every bad input the issue names: a clear error that says what and where.</summary>
[Trait("Category", "Integration")]
public sealed class BadInputTests
{
    [Fact]
    public void MissingModelFile_NamesTheModelAndThePath()
    {
        var options = TestModels.Regressor();
        options.ModelPath = "models/nope.onnx";

        var e = Assert.Throws<ModelConfigurationException>(() => TestModels.Load(options));
        Assert.Contains("Model 'regressor': file not found", e.Message, StringComparison.Ordinal);
        Assert.Contains("nope.onnx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptModelFile_SaysOnnxRuntimeCannotLoadIt()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("corrupt.onnx");
        var bytes = File.ReadAllBytes(TestModels.Path("test-regressor.onnx"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var options = TestModels.Regressor();
        options.ModelPath = path;

        var e = Assert.Throws<ModelConfigurationException>(() => TestModels.Load(options));
        Assert.Contains("cannot load", e.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt.onnx", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name", "no input named 'pixels' (Input:Name); the model has image")]
    [InlineData("layout", "Input:Layout Nhwc needs 3 channels on axis 3 (it looks Nchw)")]
    [InlineData("element", "input 'image' is Float[1,3,16,16] but Input:Element is Uint8")]
    [InlineData("size", "input 'image' has height 16 but Input:Height is 224")]
    [InlineData("output", "no output named 'steering' (Output); the model has steer, controls")]
    public void ModelNotMatchingItsConfiguration_NamesTheMismatch(string mismatch, string expected)
    {
        var options = TestModels.Regressor();
        switch (mismatch)
        {
            case "name":
                options.Input.Name = "pixels";
                break;
            case "layout":
                options.Input.Layout = TensorLayout.Nhwc;
                break;
            case "element":
                options.Input.Element = TensorElement.Uint8;
                break;
            case "size":
                options.Input.Width = 224;
                options.Input.Height = 224;
                break;
            default:
                options.Output.Scalars.Clear();
                options.Output.Scalars["steering"] = "shadow.steer";
                break;
        }

        var e = Assert.Throws<ModelConfigurationException>(() => TestModels.Load(options));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("Model 'regressor'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DetectionLayoutNotMatchingTheOutput_IsRejected()
    {
        var options = TestModels.YoloV8();
        options.Output.DetectionLayout = DetectionLayout.YoloV5;
        options.Output.Tensor = "output0";

        // [1,6,4] read as YOLOv5 would be 6 anchors of 4 values: fewer than 5 + classes.
        var e = Assert.Throws<ModelConfigurationException>(() => TestModels.Load(options));
        Assert.Contains("YoloV5 output 'output0' [1,6,4] is not [1, N, 5+classes]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptJpeg_ThrowsInvalidData_AndTheNextFrameStillWorks()
    {
        using var engine = TestModels.Load(TestModels.ByteNhwc(ChannelOrder.Rgb));
        var good = TestFrames.Jpeg(640, 480, new SKColor(200, 100, 50));
        var truncated = good with { Data = good.Data[..(good.Data.Length * 4 / 5)] };
        var garbage = good with { Data = new byte[500] };
        var outputs = new SignalValue[3];

        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => engine.Infer(truncated, outputs)).Message, StringComparison.Ordinal);
        Assert.Contains("Not a decodable image (500 bytes)", Assert.Throws<InvalidDataException>(() => engine.Infer(garbage, outputs)).Message, StringComparison.Ordinal);
        engine.Infer(good, outputs);
        Assert.InRange(outputs[0].Number, 196, 204);
    }

    [Theory]
    [InlineData("rgb", 4, 4, 47, "RGB frame of 4×4 needs 48 bytes, got 47")]
    [InlineData("yuyv", 4, 4, 48, "YUYV frame of 4×4 needs 32 bytes (even width), got 48")]
    [InlineData("bayer", 4, 4, 16, "Frame format 'bayer' is not supported")]
    public void FrameOfTheWrongSize_ThrowsInvalidData(string format, int width, int height, int bytes, string expected)
    {
        using var engine = TestModels.Load(TestModels.ByteNhwc(ChannelOrder.Rgb));
        var frame = new Frame(7, TimeSpan.Zero, DateTimeOffset.UnixEpoch, width, height, format, new byte[bytes]);

        var e = Assert.Throws<InvalidDataException>(() => engine.Infer(frame, new SignalValue[3]));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JpegOfAnotherSizeThanItsFrameSays_ThrowsInvalidData()
    {
        using var engine = TestModels.Load(TestModels.ByteNhwc(ChannelOrder.Rgb));
        var frame = TestFrames.Jpeg(64, 48, SKColors.Red) with { Width = 640, Height = 480 };

        var e = Assert.Throws<InvalidDataException>(() => engine.Infer(frame, new SignalValue[3]));
        Assert.Contains("Image is 64×48, but the frame says 640×480", e.Message, StringComparison.Ordinal);
    }
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using SkiaSharp;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>Decode, channel order, normalisation, layout and element type, checked through small models that report what they were fed.</summary>
[Trait("Category", "Integration")]
public sealed class PreprocessingTests
{
    [Theory]
    [InlineData(ChannelOrder.Rgb, 10, 20, 30)]
    [InlineData(ChannelOrder.Bgr, 30, 20, 10)]
    public void Uint8Nhwc_GetsRawPixelsInTheConfiguredChannelOrder(ChannelOrder order, double c0, double c1, double c2)
    {
        using var engine = TestModels.Load(TestModels.ByteNhwc(order));
        var outputs = Run(engine, TestFrames.Rgb(4, 4, 10, 20, 30));

        Assert.Equal([c0, c1, c2], outputs.Select(o => o.Number));
    }

    [Fact]
    public void Float32_AppliesScaleThenMeanAndStd()
    {
        // Regressor: steer = R − B, controls[1] = 2 × G, after (pixel × scale − mean) / std.
        var options = TestModels.Regressor();
        options.Input.Scale = 1f;
        foreach (var (mean, std) in new[] { (100f, 2f), (50f, 10f), (0f, 5f) })
        {
            options.Input.Mean.Add(mean);
            options.Input.Std.Add(std);
        }

        using var engine = TestModels.Load(options);
        var outputs = Run(engine, TestFrames.Rgb(16, 16, 200, 150, 40));

        Assert.Equal(((200 - 100) / 2.0) - (40 / 5.0), outputs[0].Number, 4);
        Assert.Equal(2 * ((150 - 50) / 10.0), outputs[1].Number, 4);
    }

    [Fact]
    public void Letterbox_PadsWithTheFillLevel_AroundTheImage()
    {
        // An 8×4 frame into the 4×4 input: the image fills rows 1..2, rows 0 and 3 are grey 114.
        var options = TestModels.ByteNhwc(ChannelOrder.Rgb);
        options.Input.Resize = ImageResize.Letterbox;
        using var engine = TestModels.Load(options);
        var outputs = Run(engine, TestFrames.Rgb(8, 4, 10, 20, 30));

        Assert.Equal([57 + 5.0, 57 + 10.0, 57 + 15.0], outputs.Select(o => o.Number));
    }

    [Fact]
    public void Yuyv_IsConvertedWithBt601()
    {
        // Y=81, U=90, V=240 is BT.601 red (255, 0, 0) up to rounding.
        using var engine = TestModels.Load(TestModels.ByteNhwc(ChannelOrder.Rgb));
        var outputs = Run(engine, TestFrames.Yuyv(4, 4, 81, 90, 240));

        Assert.InRange(outputs[0].Number, 250, 255);
        Assert.InRange(outputs[1].Number, 0, 3);
        Assert.InRange(outputs[2].Number, 0, 3);
    }

    [Fact]
    public void Jpeg_IsDecodedAndResized_ToTheModelInput()
    {
        // 640×480 solid colour, decoded at a reduced DCT scale and resized to 4×4: the colour survives within JPEG error.
        using var engine = TestModels.Load(TestModels.ByteNhwc(ChannelOrder.Rgb));
        var outputs = Run(engine, TestFrames.Jpeg(640, 480, new SKColor(200, 100, 50)));

        Assert.InRange(outputs[0].Number, 196, 204);
        Assert.InRange(outputs[1].Number, 96, 104);
        Assert.InRange(outputs[2].Number, 46, 54);
    }

    private static SignalValue[] Run(Device.Inference.OnnxInferenceEngine engine, Core.Contracts.Frame frame)
    {
        var outputs = new SignalValue[engine.Outputs.Count];
        engine.Infer(frame, outputs);
        return outputs;
    }
}

using DataCentric.Edge.Quantize;
using Onnx;

namespace DataCentric.Edge.Device.Tests.Inference.Quantization;

/// <summary>The QDQ arithmetic and the choice of tensors, on exact small cases.</summary>
[Trait("Category", "Unit")]
public sealed class QuantizationMathTests
{
    [Fact]
    public void Activation_RangeIsWidenedToZero_AndZeroIsExact()
    {
        var parameters = QuantizationMath.Activation(new TensorRange(-1f, 3f), reluOutput: false);

        Assert.Equal(4f / 255, parameters.Scale, 6);
        Assert.Equal(64, parameters.ZeroPoint);
        Assert.Equal(new ActivationParameters(2f / 255, 0), QuantizationMath.Activation(new TensorRange(0.5f, 2f), reluOutput: false));
    }

    [Fact]
    public void Activation_OfAReluOutput_HasZeroPointZero_WhichLetsOnnxRuntimeDropTheRelu()
    {
        Assert.Equal(0, QuantizationMath.Activation(new TensorRange(-0.25f, 6f), reluOutput: true).ZeroPoint);
    }

    [Fact]
    public void Activation_OfATensorThatWasAlwaysZero_GetsAUsableScale()
    {
        Assert.Equal(new ActivationParameters(1f, 0), QuantizationMath.Activation(TensorRange.Empty, reluOutput: false));
    }

    [Fact]
    public void Weights_AreSymmetricPerOutputChannel_WithinPlusMinus127()
    {
        var (values, scales) = QuantizationMath.WeightsPerChannel([0.5f, -1f, 0.25f, 0f, 0f, 0f, 2f, 1f], channels: 4);

        Assert.Equal([1f / 127, 0.25f / 127, 1f, 2f / 127], scales);
        Assert.Equal(new sbyte[] { 64, -127, 127, 0, 0, 0, 127, 64 }, values);
    }

    [Fact]
    public void Bias_IsInt32_AtInputScaleTimesWeightScale()
    {
        var (values, scales) = QuantizationMath.Bias([1f, -0.5f], inputScale: 0.1f, weightScales: [0.01f, 0.02f]);

        Assert.Equal([0.1f * 0.01f, 0.1f * 0.02f], scales);
        Assert.Equal([1000, -250], values);
    }

    [Fact]
    public void Plan_QuantizesConvInputs_ReluOutputs_AndMaxPoolWithItsInputsParameters()
    {
        var model = ModelProto.Parser.ParseFrom(TinyConvNet.Build(appendOp: "GlobalAveragePool"));
        ModelQuantizer.FoldAndUpgrade(model, "tiny.onnx");

        var plan = QuantizationPlan.Build(model.Graph, "tiny.onnx");

        Assert.Equal(["image", "relu_out", "pool_out"], plan.Activations);
        Assert.Equal(["image", "relu_out"], plan.Calibrated);
        Assert.Equal("relu_out", plan.SharedWith["pool_out"]);
        Assert.Equal(["relu_out"], plan.ReluOutputs);
    }

    [Fact]
    public void Plan_LeavesATensorThatOnlyLeavesTheGraph_Float()
    {
        var model = ModelProto.Parser.ParseFrom(TinyConvNet.Build());
        ModelQuantizer.FoldAndUpgrade(model, "tiny.onnx");

        var plan = QuantizationPlan.Build(model.Graph, "tiny.onnx");

        Assert.Equal(["image", "relu_out"], plan.Activations);
        Assert.Empty(plan.SharedWith);
    }
}

using System.Numerics.Tensors;

namespace DataCentric.Edge.Quantize;

/// <summary>A uint8 activation's parameters: real = (q − ZeroPoint) × Scale.</summary>
public readonly record struct ActivationParameters(float Scale, byte ZeroPoint);

/// <summary>
/// The arithmetic of the QDQ format ONNX Runtime's CPU provider fuses: uint8 asymmetric activations,
/// int8 symmetric per-channel weights (zero point 0, range ±127), int32 biases at
/// scale = input scale × weight scale. Rounding is half to even, as QuantizeLinear does.
/// </summary>
public static class QuantizationMath
{
    /// <summary>Scale and zero point covering the range (which includes 0); a Relu output starts at 0, so its zero point is 0.</summary>
    public static ActivationParameters Activation(TensorRange range, bool reluOutput)
    {
        var min = reluOutput ? 0f : Math.Min(range.Min, 0f);
        var max = Math.Max(range.Max, 0f);
        var scale = (float)(((double)max - min) / byte.MaxValue);
        if (!(scale > 0) || !float.IsFinite(scale))
        {
            // A tensor that was 0 on every frame: any scale represents it.
            scale = 1f;
        }

        var zeroPoint = Math.Clamp(Math.Round(-min / (double)scale, MidpointRounding.ToEven), 0, byte.MaxValue);
        return new ActivationParameters(scale, (byte)zeroPoint);
    }

    /// <summary>Per output channel (axis 0): scale = max|w| / 127, q = round(w / scale).</summary>
    public static (sbyte[] Values, float[] Scales) WeightsPerChannel(ReadOnlySpan<float> weights, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        var perChannel = weights.Length / channels;
        var values = new sbyte[weights.Length];
        var scales = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var channel = weights.Slice(c * perChannel, perChannel);
            var scale = Math.Abs(TensorPrimitives.MaxMagnitude(channel)) / sbyte.MaxValue;
            scales[c] = scale > 0 && float.IsFinite(scale) ? scale : 1f;
            for (var i = 0; i < perChannel; i++)
            {
                values[(c * perChannel) + i] = (sbyte)Math.Clamp(MathF.Round(channel[i] / scales[c], MidpointRounding.ToEven), -sbyte.MaxValue, sbyte.MaxValue);
            }
        }

        return (values, scales);
    }

    /// <summary>The bias scales (input scale × weight scale, in float as ONNX Runtime computes them) and the int32 bias.</summary>
    public static (int[] Values, float[] Scales) Bias(ReadOnlySpan<float> bias, float inputScale, ReadOnlySpan<float> weightScales)
    {
        var values = new int[bias.Length];
        var scales = new float[bias.Length];
        for (var c = 0; c < bias.Length; c++)
        {
            scales[c] = inputScale * weightScales[c];
            values[c] = (int)Math.Clamp(Math.Round(bias[c] / (double)scales[c], MidpointRounding.ToEven), int.MinValue, int.MaxValue);
        }

        return (values, scales);
    }
}

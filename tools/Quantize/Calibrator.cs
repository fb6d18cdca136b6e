using System.Numerics.Tensors;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Inference;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace DataCentric.Edge.Quantize;

/// <summary>The range a tensor took over the calibration frames, widened to include 0 (so 0 is exactly representable).</summary>
public readonly record struct TensorRange(float Min, float Max)
{
    public static TensorRange Empty { get; } = new(0, 0);

    public TensorRange Include(ReadOnlySpan<float> values) =>
        values.IsEmpty ? this : new(Math.Min(Min, TensorPrimitives.Min(values)), Math.Max(Max, TensorPrimitives.Max(values)));
}

/// <summary>
/// Min/max calibration: every tensor to be quantized becomes an extra graph output, and the float model
/// runs in ONNX Runtime over the calibration frames, pre-processed by the engine's own
/// <see cref="ImagePreprocessor"/> (decode, resize, mean/std). One intra-op thread: slower, but the
/// same frames give the same ranges on any machine load.
/// </summary>
public static class Calibrator
{
    /// <exception cref="QuantizationException">A frame cannot be decoded, or ONNX Runtime cannot run the model.</exception>
    public static IReadOnlyDictionary<string, TensorRange> Calibrate(
        ModelProto model, ImageInputOptions input, int height, int width, IReadOnlyCollection<string> tensors, IReadOnlyList<CalibrationFrame> frames, string file)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
        {
            throw new QuantizationException($"{file}: no calibration frames.");
        }

        var outputs = tensors.Where(t => t != input.Name).ToList();
        var ranges = tensors.ToDictionary(t => t, _ => TensorRange.Empty, StringComparer.Ordinal);
        using var session = Session(WithOutputs(model, outputs), file);
        using var runOptions = new RunOptions();
        using var preprocessor = new ImagePreprocessor(input, width, height);
        var pixels = new float[3 * height * width];
        using var value = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, height, width]);
        foreach (var frame in frames)
        {
            try
            {
                preprocessor.Write(frame.Format, frame.Width, frame.Height, frame.Data, pixels);
            }
            catch (InvalidDataException e)
            {
                throw new QuantizationException($"{frame.Source}: cannot be pre-processed as the engine would: {e.Message}", e);
            }

            if (ranges.TryGetValue(input.Name, out var inputRange))
            {
                ranges[input.Name] = inputRange.Include(pixels);
            }

            try
            {
                using var results = session.Run(runOptions, [input.Name], [value], outputs);
                for (var i = 0; i < outputs.Count; i++)
                {
                    ranges[outputs[i]] = ranges[outputs[i]].Include(results[i].GetTensorDataAsSpan<float>());
                }
            }
            catch (OnnxRuntimeException e)
            {
                throw new QuantizationException($"{file}: ONNX Runtime failed on {frame.Source}: {e.Message}", e);
            }
        }

        return ranges;
    }

    /// <summary>A copy of the model with each tensor also a graph output, so a run returns it.</summary>
    private static byte[] WithOutputs(ModelProto model, IEnumerable<string> tensors)
    {
        var copy = model.Clone();
        var existing = copy.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var tensor in tensors.Where(t => !existing.Contains(t)))
        {
            copy.Graph.Output.Add(new ValueInfoProto
            {
                Name = tensor,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }

        return copy.ToByteArray();
    }

    private static InferenceSession Session(byte[] model, string file)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        try
        {
            return new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new QuantizationException($"{file}: ONNX Runtime cannot load the float model after folding and the move to opset {OpsetUpgrade.TargetOpset}: {e.Message}", e);
        }
    }
}

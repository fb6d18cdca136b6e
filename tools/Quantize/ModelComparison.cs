using System.Numerics.Tensors;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Inference;
using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Quantize;

/// <summary>How close a quantized model's output stays to its float model's, per frame, on this machine's kernels.</summary>
public sealed record ComparisonResult(string Output, IReadOnlyList<double> Cosines)
{
    public double Min => Cosines.Min();

    public double Mean => Cosines.Average();
}

/// <summary>
/// Runs the float model and its quantized copy on the same pre-processed frames (the engine's own
/// <see cref="ImagePreprocessor"/>) and compares their first output by cosine similarity. Run it on
/// the board: its CPU runs other int8 kernels than the machine that quantized the model.
/// </summary>
public static class ModelComparison
{
    /// <exception cref="QuantizationException">A model that does not load, lacks the input, or differs from the other in its input or first output.</exception>
    public static ComparisonResult Compare(string floatPath, string quantizedPath, ImageInputOptions input, IReadOnlyList<CalibrationFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(frames);
        using var reference = Load(floatPath);
        using var quantized = Load(quantizedPath);
        var shape = InputShape(reference, input.Name, floatPath);
        if (!InputShape(quantized, input.Name, quantizedPath).SequenceEqual(shape))
        {
            throw new QuantizationException($"{quantizedPath}: input '{input.Name}' is not shaped like the float model's [{string.Join(",", shape)}].");
        }

        var output = reference.OutputNames[0];
        if (!quantized.OutputNames.Contains(output))
        {
            throw new QuantizationException($"{quantizedPath}: has no output '{output}' (the float model's first output).");
        }

        var (height, width) = ((int)shape[2], (int)shape[3]);
        using var preprocessor = new ImagePreprocessor(input, width, height);
        var pixels = new float[3 * height * width];
        using var value = OrtValue.CreateTensorValueFromMemory(pixels, shape);
        using var runOptions = new RunOptions();
        var cosines = new List<double>(frames.Count);
        foreach (var frame in frames)
        {
            preprocessor.Write(frame.Format, frame.Width, frame.Height, frame.Data, pixels);
            using var expected = reference.Run(runOptions, [input.Name], [value], [output]);
            using var actual = quantized.Run(runOptions, [input.Name], [value], [output]);
            cosines.Add(TensorPrimitives.CosineSimilarity(expected[0].GetTensorDataAsSpan<float>(), actual[0].GetTensorDataAsSpan<float>()));
        }

        return new ComparisonResult(output, cosines);
    }

    private static long[] InputShape(InferenceSession session, string name, string path) =>
        session.InputMetadata.TryGetValue(name, out var metadata) && metadata.Dimensions is [_, 3, > 0, > 0]
            ? [1, 3, metadata.Dimensions[2], metadata.Dimensions[3]]
            : throw new QuantizationException($"{path}: no image input '{name}' shaped [1,3,H,W] (inputs: {string.Join(", ", session.InputNames)}).");

    private static InferenceSession Load(string path)
    {
        var file = Path.GetFullPath(path);
        if (!File.Exists(file))
        {
            throw new QuantizationException($"{file}: model file not found.");
        }

        try
        {
            return new InferenceSession(file);
        }
        catch (OnnxRuntimeException e)
        {
            throw new QuantizationException($"{file}: ONNX Runtime cannot load it: {e.Message}", e);
        }
    }
}

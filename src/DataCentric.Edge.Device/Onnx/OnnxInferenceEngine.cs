using System.Globalization;
using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Device.Onnx;

/// <summary>
/// Runs one ONNX model on frames through ONNX Runtime. Input and output tensors are allocated
/// once and reused (<see cref="OrtValue"/> over managed arrays), so a frame costs the decode and
/// the model. Not thread-safe: one engine per inference worker.
/// </summary>
public sealed class OnnxInferenceEngine : IInferenceEngine
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly RgbTensorWriter _pixels;
    private readonly float[] _input;
    private readonly OrtValue[] _inputValues;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly float[][] _outputs;
    private readonly OrtValue[] _outputValues;

    private OnnxInferenceEngine(InferenceSession session, ShadowModelOptions options, ModelInfo model, int width, int height, IReadOnlyList<(string Tensor, string Signal, long[] Shape)> outputs)
    {
        _session = session;
        Model = model;
        _pixels = new RgbTensorWriter(width, height, options.PixelScale);
        _input = new float[3 * width * height];
        _inputNames = [options.InputName];
        _inputValues = [OrtValue.CreateTensorValueFromMemory(_input, [1, 3, height, width])];
        _outputNames = [.. outputs.Select(o => o.Tensor)];
        _outputs = [.. outputs.Select(o => new float[o.Shape.Aggregate(1L, (a, b) => a * b)])];
        _outputValues = [.. outputs.Select((o, i) => OrtValue.CreateTensorValueFromMemory(_outputs[i], o.Shape))];
        Outputs = [.. outputs.Select(o => (o.Signal, SignalKind.Number))];
    }

    public ModelInfo Model { get; }

    public IReadOnlyList<(string Name, SignalKind Kind)> Outputs { get; }

    /// <summary>Loads the model and checks it against the options.</summary>
    /// <exception cref="ModelConfigurationException">Missing or corrupt file, or inputs/outputs that do not match; the message names which.</exception>
    public static OnnxInferenceEngine Load(ShadowModelOptions options, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.GetFullPath(options.ModelPath, baseDirectory);
        if (!File.Exists(path))
        {
            throw new ModelConfigurationException($"Model '{options.Name}': file not found: {path}");
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelConfigurationException($"Model '{options.Name}': ONNX Runtime cannot load {path}: {e.Message}", e);
        }

        try
        {
            var (width, height) = CheckInput(session, options);
            var outputs = CheckOutputs(session, options);
            var metadata = session.ModelMetadata;
            var model = new ModelInfo(options.Name, sha256, metadata.ProducerName, metadata.Version.ToString(CultureInfo.InvariantCulture));
            return new OnnxInferenceEngine(session, options, model, width, height, outputs);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Infer(Frame frame, Span<SignalValue> outputs)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _pixels.Write(frame.Data.Span, _input);
        _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);
        for (var i = 0; i < _outputs.Length; i++)
        {
            outputs[i] = SignalValue.FromNumber(_outputs[i][0]);
        }
    }

    private static (int Width, int Height) CheckInput(InferenceSession session, ShadowModelOptions options)
    {
        if (!session.InputMetadata.TryGetValue(options.InputName, out var input))
        {
            throw new ModelConfigurationException(
                $"Model '{options.Name}': no input named '{options.InputName}'; the model has {string.Join(", ", session.InputMetadata.Keys)}.");
        }

        var dims = input.Dimensions;
        if (input.ElementDataType != TensorElementType.Float || dims.Length != 4 || dims[1] != 3 || dims[2] <= 0 || dims[3] <= 0)
        {
            throw new ModelConfigurationException(
                $"Model '{options.Name}': input '{options.InputName}' is {input.ElementDataType}[{string.Join(",", dims)}]; expected float[1,3,H,W] (RGB, NCHW).");
        }

        return (dims[3], dims[2]);
    }

    private static List<(string Tensor, string Signal, long[] Shape)> CheckOutputs(InferenceSession session, ShadowModelOptions options)
    {
        if (options.ScalarOutputs.Count == 0)
        {
            throw new ModelConfigurationException($"Model '{options.Name}': no outputs configured (Inference:ScalarOutputs).");
        }

        var outputs = new List<(string, string, long[])>();
        foreach (var (tensor, signal) in options.ScalarOutputs)
        {
            if (!session.OutputMetadata.TryGetValue(tensor, out var output))
            {
                throw new ModelConfigurationException(
                    $"Model '{options.Name}': no output named '{tensor}'; the model has {string.Join(", ", session.OutputMetadata.Keys)}.");
            }

            if (output.ElementDataType != TensorElementType.Float || output.Dimensions.Any(d => d <= 0))
            {
                throw new ModelConfigurationException(
                    $"Model '{options.Name}': output '{tensor}' is {output.ElementDataType}[{string.Join(",", output.Dimensions)}]; expected a float tensor of fixed shape.");
            }

            outputs.Add((tensor, signal, [.. output.Dimensions.Select(d => (long)d)]));
        }

        return outputs;
    }

    public void Dispose()
    {
        foreach (var value in _inputValues.Concat(_outputValues))
        {
            value.Dispose();
        }

        _pixels.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}

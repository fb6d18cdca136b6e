using System.Globalization;
using System.Security.Cryptography;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// Runs one ONNX model on frames: pre-processing from configuration, one ONNX Runtime session, and
/// an output adapter that turns tensors into signals. Input and output tensors are
/// <see cref="OrtValue"/>s over arrays allocated at load, so a frame costs the decode, the resize
/// and the model. Not thread-safe: one engine per model runner.
/// </summary>
public sealed class OnnxInferenceEngine : IInferenceEngine
{
    // A host that stops under load can dispose the engine while its worker is still inside Infer:
    // native buffers freed under a running session or decoder crash the process. One gate for both.
    private readonly Lock _gate = new();
    private readonly InferenceSession _session;
    private bool _disposed;
    private readonly RunOptions _runOptions;
    private readonly ImagePreprocessor _preprocessor;
    private readonly float[]? _floatInput;
    private readonly byte[]? _byteInput;
    private readonly IntPtr _pinnedInput;
    private readonly int _pinnedLength;
    private readonly bool _pinnedFloats;
    private readonly InputPlan _input;
    private readonly OrtIoBinding _binding;
    private readonly TensorBuffer[] _outputs;
    private readonly OutputAdapter _adapter;
    private readonly ModelInfo[] _models;

    private OnnxInferenceEngine(InferenceSession session, RunOptions runOptions, InputPlan input, TensorBuffer[] outputs, OutputAdapter adapter, ModelInfo model, IReadOnlyList<(string, SignalKind)> signals, IReadOnlyList<string> warnings, ModelExecutionProvider provider, string? fallback)
    {
        Provider = provider;
        ProviderFallback = fallback;
        _session = session;
        _runOptions = runOptions;
        _preprocessor = input.Preprocessor;
        _floatInput = input.Floats;
        _byteInput = input.Bytes;
        _pinnedInput = input.PinnedData;
        _pinnedLength = input.PinnedLength;
        _pinnedFloats = input.Element == TensorElementType.Float;
        _input = input;
        _outputs = outputs;

        // Bound once: a run then marshals no names and allocates no result collection.
        _binding = session.CreateIoBinding();
        _binding.BindInput(input.Name, input.Value);
        foreach (var output in outputs)
        {
            _binding.BindOutput(output.Name, output.Value);
        }
        _adapter = adapter;
        Model = model;
        _models = [model];
        Outputs = signals;
        Warnings = warnings;
    }

    public ModelInfo Model { get; }

    IReadOnlyList<ModelInfo> IInferenceEngine.Models => _models;

    public IReadOnlyList<(string Name, SignalKind Kind)> Outputs { get; }

    /// <summary>What was not as configured but did not stop the model (an accelerator that is missing).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The provider that runs the model: the first configured one that started, else the CPU.</summary>
    public ModelExecutionProvider Provider { get; }

    /// <summary>Why the model does not run on its first configured provider (the warnings, joined), or null.</summary>
    public string? ProviderFallback { get; }

    /// <summary>Loads the model and checks it against its configuration.</summary>
    /// <param name="tensorRt">TensorRT settings when the model asks for it (defaults otherwise).</param>
    /// <param name="dataDirectory">The agent's data directory, where a relative TensorRT engine cache lives (default: <paramref name="baseDirectory"/>).</param>
    /// <exception cref="ModelConfigurationException">Missing or corrupt file, or inputs/outputs that do not match; the message names which.</exception>
    /// <param name="modelPath">A file to load instead of <see cref="ShadowModelOptions.ModelPath"/> (a model release).</param>
    public static OnnxInferenceEngine Load(ShadowModelOptions options, string baseDirectory, TensorRtOptions? tensorRt = null, string? dataDirectory = null, string? modelPath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.GetFullPath(modelPath ?? options.ModelPath, baseDirectory);
        if (!File.Exists(path))
        {
            throw new ModelConfigurationException($"Model '{options.Name}': file not found: {path}");
        }

        string sha256;
        using (var file = File.OpenRead(path))
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        }

        var warnings = new List<string>();
        InferenceSession session;
        tensorRt ??= new TensorRtOptions();
        var tensorRtCache = Path.GetFullPath(tensorRt.EngineCacheDirectory, dataDirectory ?? baseDirectory);
        ModelExecutionProvider provider;
        using (var sessionOptions = SessionOptionsFactory.Create(options, tensorRt, tensorRtCache, warnings, out provider))
        {
            try
            {
                session = new InferenceSession(path, sessionOptions);
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelConfigurationException($"Model '{options.Name}': ONNX Runtime cannot load {path} (corrupt or not an ONNX model): {e.Message}", e);
            }
        }

        var runOptions = new RunOptions();
        InputPlan? input = null;
        var outputs = new List<TensorBuffer>();
        try
        {
            input = InputPlan.Create(session, options, pinned: provider != ModelExecutionProvider.Cpu, warnings);
            var names = CheckOutputNames(session, options);
            outputs.AddRange(MeasureOutputs(session, runOptions, input, names, options.Name));
            var adapter = OutputAdapter.Create(options, baseDirectory, outputs.ToDictionary(o => o.Name, StringComparer.Ordinal));
            var metadata = session.ModelMetadata;
            var model = new ModelInfo(options.Name, sha256, metadata.ProducerName, metadata.Version.ToString(CultureInfo.InvariantCulture));
            var preferred = options.ExecutionProviders.Count > 0 ? options.ExecutionProviders[0] : ModelExecutionProvider.Cpu;
            var fallback = provider == preferred ? null : string.Join("; ", warnings);
            return new OnnxInferenceEngine(session, runOptions, input, [.. outputs], adapter, model, OutputAdapter.SignalsOf(options.Output), warnings, provider, fallback);
        }
        catch
        {
            outputs.ForEach(o => o.Dispose());
            input?.Dispose();
            runOptions.Dispose();
            session.Dispose();
            throw;
        }
    }

    public unsafe void Infer(Frame frame, Span<SignalValue> outputs)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_floatInput is not null)
            {
                _preprocessor.Write(frame.Format, frame.Width, frame.Height, frame.Data, _floatInput);
            }
            else if (_byteInput is not null)
            {
                _preprocessor.Write(frame.Format, frame.Width, frame.Height, frame.Data, _byteInput);
            }
            else if (_pinnedFloats)
            {
                _preprocessor.Write(frame.Format, frame.Width, frame.Height, frame.Data, new Span<float>((void*)_pinnedInput, _pinnedLength));
            }
            else
            {
                _preprocessor.Write(frame.Format, frame.Width, frame.Height, frame.Data, new Span<byte>((void*)_pinnedInput, _pinnedLength));
            }

            _session.RunWithBinding(_runOptions, _binding);
            _adapter.Write(_preprocessor.ContentArea, outputs);
        }
    }

    private static List<string> CheckOutputNames(InferenceSession session, ShadowModelOptions options)
    {
        var names = new List<string>();
        foreach (var tensor in OutputAdapter.TensorsOf(options.Output))
        {
            if (!session.OutputMetadata.TryGetValue(tensor, out var output))
            {
                throw new ModelConfigurationException(
                    $"Model '{options.Name}': no output named '{tensor}' (Output); the model has {string.Join(", ", session.OutputMetadata.Keys)}.");
            }

            if (output.ElementDataType != TensorElementType.Float)
            {
                throw new ModelConfigurationException($"Model '{options.Name}': output '{tensor}' is {output.ElementDataType}; the adapters read float tensors.");
            }

            names.Add(tensor);
        }

        return names;
    }

    /// <summary>
    /// One run on a blank input tells each output's concrete shape (dynamic dimensions resolved for
    /// this input size), so the output arrays can be allocated once. It also warms the session up.
    /// </summary>
    private static IEnumerable<TensorBuffer> MeasureOutputs(InferenceSession session, RunOptions runOptions, InputPlan input, List<string> names, string model)
    {
        try
        {
            using var results = session.Run(runOptions, [input.Name], [input.Value], names);
            return [.. results.Select((r, i) => new TensorBuffer(names[i], r.GetTensorTypeAndShape().Shape))];
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelConfigurationException($"Model '{model}': a first run on a blank input failed: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var output in _outputs)
            {
                output.Dispose();
            }

            _binding.Dispose();
            _input.Dispose();
            _runOptions.Dispose();
            _session.Dispose();
        }
    }
}

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
/// <see cref="OrtValue"/>s over host memory allocated at load (managed arrays on the CPU, pinned
/// memory on a GPU provider) and bound once, so a frame costs the decode, the resize and the model.
/// A frame is written into one of two input slots (<see cref="Prepare"/>) and the model runs on a
/// slot (<see cref="Run"/>): one caller may prepare the next frame while another runs this one.
/// Prepares are serialised among themselves, and so are runs.
/// </summary>
public sealed class OnnxInferenceEngine : IInferenceEngine
{
    /// <summary>Input slots per engine: one the model runs on, one the next frame is prepared in.</summary>
    public const int InputSlots = 2;

    // A host that stops under load can dispose the engine while its worker is still inside a call:
    // native buffers freed under a running session or decoder crash the process. Dispose takes both.
    private readonly Lock _prepareGate = new();
    private readonly Lock _runGate = new();
    private readonly InferenceSession _session;
    private bool _disposed;
    private readonly RunOptions _runOptions;
    private readonly ImagePreprocessor _preprocessor;
    private readonly InputPlan _input;
    private readonly InputSlot[] _slots;
    private readonly HostTensorMemory _memory;
    private readonly TensorBuffer[] _outputs;
    private readonly OutputAdapter _adapter;
    private readonly ModelInfo[] _models;

    private OnnxInferenceEngine(InferenceSession session, RunOptions runOptions, InputPlan input, InputSlot[] slots, HostTensorMemory memory, TensorBuffer[] outputs, OutputAdapter adapter, ModelInfo model, IReadOnlyList<(string, SignalKind)> signals, IReadOnlyList<string> warnings, ModelExecutionProvider provider, string? fallback)
    {
        Provider = provider;
        ProviderFallback = fallback;
        _session = session;
        _runOptions = runOptions;
        _preprocessor = input.Preprocessor;
        _input = input;
        _slots = slots;
        _memory = memory;
        _outputs = outputs;
        foreach (var slot in slots)
        {
            slot.Bind(session, input.Name, outputs);
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
        HostTensorMemory? memory = null;
        var slots = new List<InputSlot>();
        var outputs = new List<TensorBuffer>();
        try
        {
            input = InputPlan.Create(session, options);
            memory = HostTensorMemory.For(session, provider, warnings);
            for (var i = 0; i < InputSlots; i++)
            {
                slots.Add(new InputSlot(input, memory));
            }

            var names = CheckOutputNames(session, options);
            outputs.AddRange(MeasureOutputs(session, runOptions, input.Name, slots[0].Value, names, memory, options.Name));
            var adapter = OutputAdapter.Create(options, baseDirectory, outputs.ToDictionary(o => o.Name, StringComparer.Ordinal));
            var metadata = session.ModelMetadata;
            var model = new ModelInfo(options.Name, sha256, metadata.ProducerName, metadata.Version.ToString(CultureInfo.InvariantCulture));
            var preferred = options.ExecutionProviders.Count > 0 ? options.ExecutionProviders[0] : ModelExecutionProvider.Cpu;
            var fallback = provider == preferred ? null : string.Join("; ", warnings);
            return new OnnxInferenceEngine(session, runOptions, input, [.. slots], memory, [.. outputs], adapter, model, OutputAdapter.SignalsOf(options.Output), warnings, provider, fallback);
        }
        catch
        {
            outputs.ForEach(o => o.Dispose());
            slots.ForEach(s => s.Dispose());
            memory?.Dispose();
            input?.Dispose();
            runOptions.Dispose();
            session.Dispose();
            throw;
        }
    }

    /// <summary>Prepares the frame in the first input slot and runs the model on it. Not while another caller uses the engine's slots.</summary>
    public void Infer(Frame frame, Span<SignalValue> outputs)
    {
        Prepare(frame, 0);
        Run(0, outputs);
    }

    /// <summary>Decodes and resizes the frame into input slot <paramref name="slot"/> (0 or 1); may overlap a <see cref="Run"/> on the other slot.</summary>
    /// <exception cref="InvalidDataException">The frame cannot be decoded (corrupt, wrong size, unknown format).</exception>
    /// <exception cref="ObjectDisposedException">The engine was disposed (a release swapped in).</exception>
    public void Prepare(Frame frame, int slot)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, InputSlots);
        lock (_prepareGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _slots[slot].Write(_preprocessor, frame);
        }
    }

    /// <summary>Runs the model on the frame last prepared in <paramref name="slot"/> and writes its signals.</summary>
    /// <exception cref="OnnxRuntimeException">The run failed.</exception>
    /// <exception cref="ObjectDisposedException">The engine was disposed (a release swapped in).</exception>
    public void Run(int slot, Span<SignalValue> outputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, InputSlots);
        lock (_runGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var input = _slots[slot];
            _session.RunWithBinding(_runOptions, input.Binding);
            _adapter.Write(input.Area, outputs);
        }
    }

    /// <summary>True when the input and outputs live in a GPU provider's page-locked memory.</summary>
    internal bool PinnedHostMemory => _memory.Pinned;

    /// <summary>For tests: the session, the bound input of a slot and the output buffers, to compare with an unbound run.</summary>
    internal InferenceSession Session => _session;

    internal OrtValue InputValue(int slot) => _slots[slot].Value;

    internal string InputName => _input.Name;

    internal IReadOnlyList<TensorBuffer> OutputBuffers => _outputs;

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
    private static List<TensorBuffer> MeasureOutputs(InferenceSession session, RunOptions runOptions, string inputName, OrtValue input, List<string> names, HostTensorMemory memory, string model)
    {
        try
        {
            using var results = session.Run(runOptions, [inputName], [input], names);
            return [.. results.Select((r, i) => new TensorBuffer(names[i], r.GetTensorTypeAndShape().Shape, memory))];
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelConfigurationException($"Model '{model}': a first run on a blank input failed: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        lock (_prepareGate)
        {
            lock (_runGate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                foreach (var slot in _slots)
                {
                    slot.Dispose();
                }

                foreach (var output in _outputs)
                {
                    output.Dispose();
                }

                _memory.Dispose();
                _input.Dispose();
                _runOptions.Dispose();
                _session.Dispose();
            }
        }
    }
}

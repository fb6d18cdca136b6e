using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// Every configured shadow model. A model that fails to load is kept with its reason (its signals
/// still exist, marked unavailable, so its triggers are disabled and say why) and the others run:
/// a broken model never stops the agent. As an <see cref="IInferenceEngine"/> the set describes all
/// models: their signals, and one <see cref="ModelInfo"/> per model in configuration order.
/// </summary>
public sealed partial class ShadowModelSet : IInferenceEngine
{
    private readonly SignalValue[] _scratch;
    private volatile ModelInfo[] _infos;
    private bool _disposed;
    private TensorRtOptions? _tensorRt;
    private string? _dataDirectory;

    private ShadowModelSet(IReadOnlyList<ShadowModel> models)
    {
        Models = models;
        Outputs = [.. models.SelectMany(m => m.Signals)];
        _scratch = new SignalValue[models.Count == 0 ? 0 : models.Max(m => m.Signals.Count)];
        _infos = [.. models.Select(Describe)];
    }

    public IReadOnlyList<ShadowModel> Models { get; }

    /// <summary>The ONNX Runtime the models run on: its version, library and the providers it offers; null when its library could not be loaded.</summary>
    public OnnxRuntimeInfo? Runtime { get; private init; }

    /// <summary>Each model's own, in configuration order; a model that did not load is its name with hash, producer and version "unavailable".</summary>
    IReadOnlyList<ModelInfo> IInferenceEngine.Models => _infos;

    public IReadOnlyList<(string Name, SignalKind Kind)> Outputs { get; }

    /// <summary>The signals the configured models publish, known from configuration alone (as <see cref="ShadowModel.Signals"/>).</summary>
    public static IReadOnlyList<(string Name, SignalKind Kind)> OutputsOf(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [.. options.Models.SelectMany(m => OutputAdapter.SignalsOf(m.Output))];
    }

    /// <param name="dataDirectory">The agent's data directory, where the TensorRT engine cache lives (default: <paramref name="baseDirectory"/>).</param>
    /// <param name="releasedModelPath">The released file a model runs instead of its configured one (null: the configured one).</param>
    public static ShadowModelSet Load(InferenceOptions options, string baseDirectory, ILogger<ShadowModelSet> logger, string? dataDirectory = null, Func<ShadowModelOptions, string?>? releasedModelPath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var models = new List<ShadowModel>();
        OnnxRuntimeInfo runtime;
        try
        {
            runtime = OnnxRuntimeInfo.Start(options.Runtime.LibraryPath);
            LogRuntime(logger, runtime.Version, runtime.LibraryPath ?? "published with the agent", string.Join(", ", runtime.Providers));
        }
        catch (OnnxRuntimeLibraryException e)
        {
            // No model can run on a library that is not there: each is kept, failed, with the reason.
            LogRuntimeFailed(logger, e.Message);
            foreach (var model in options.Models)
            {
                var failed = new ShadowModelStatus(model.Name);
                failed.Failed(e.Message);
                models.Add(new ShadowModel(model, null, failed));
            }

            return new ShadowModelSet(models);
        }

        foreach (var model in options.Models)
        {
            var status = new ShadowModelStatus(model.Name);
            try
            {
                var engine = OnnxInferenceEngine.Load(model, baseDirectory, options.Runtime.TensorRt, dataDirectory, releasedModelPath?.Invoke(model));
                status.Loaded(engine.Model);
                status.RunsOn(engine.Provider.ToString(), engine.ProviderFallback);
                if (engine.Warnings.Count > 0)
                {
                    LogProviderFallback(logger, model.Name, engine.Provider.ToString(), string.Join("; ", engine.Warnings));
                }

                LogLoaded(logger, model.Name, engine.Model.Sha256, engine.Model.Producer, engine.Model.Version);
                models.Add(new ShadowModel(model, engine, status));
            }
            catch (ModelConfigurationException e)
            {
                status.Failed(e.Message);
                LogLoadFailed(logger, model.Name, e.Message);
                models.Add(new ShadowModel(model, null, status));
            }
        }

        // ONNX Runtime's load transients are freed now but still resident in the C heap: return them.
        var before = Environment.WorkingSet;
        if (NativeHeap.Trim())
        {
            LogHeapTrimmed(logger, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
        }

        return new ShadowModelSet(models) { Runtime = runtime, _tensorRt = options.Runtime.TensorRt, _dataDirectory = dataDirectory };
    }

    /// <summary>Loads another file for one of these models (a release, or the model before it) on the same runtime settings as at start.</summary>
    public OnnxInferenceEngine LoadFile(ShadowModelOptions model, string baseDirectory, string? modelPath) =>
        OnnxInferenceEngine.Load(model, baseDirectory, _tensorRt, _dataDirectory, modelPath);

    /// <summary>
    /// Runs every running model on the frame, one after the other; a failed model's part of
    /// <paramref name="outputs"/> is left as it was. Not while <see cref="ShadowModelRunner"/>s use the same engines.
    /// </summary>
    public void Infer(Frame frame, Span<SignalValue> outputs)
    {
        var offset = 0;
        foreach (var model in Models)
        {
            if (model.Engine is { } engine)
            {
                var part = _scratch.AsSpan(0, model.Signals.Count);
                engine.Infer(frame, part);
                part.CopyTo(outputs[offset..]);
            }

            offset += model.Signals.Count;
        }
    }

    /// <summary>After a model's engine was swapped: <see cref="IInferenceEngine.Models"/> names the new hash from now on.</summary>
    internal void ModelsChanged() => _infos = [.. Models.Select(Describe)];

    private static ModelInfo Describe(ShadowModel model) =>
        model.Status.Model ?? new ModelInfo(model.Options.Name, "unavailable", "unavailable", "unavailable");

    public void Dispose()
    {
        // Registered both as itself and as IInferenceEngine, so the container may dispose it twice.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var model in Models)
        {
            model.Dispose();
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Shadow model {Model} loaded (sha256 {ModelSha}, producer {Producer}, version {Version})")]
    private static partial void LogLoaded(ILogger logger, string model, string modelSha, string producer, string version);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Shadow model {Model} not loaded, its triggers are disabled: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string model, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Models loaded; native heap trimmed, resident memory {BeforeMiB} -> {AfterMiB} MiB")]
    private static partial void LogHeapTrimmed(ILogger logger, long beforeMiB, long afterMiB);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Shadow model {Model} runs on {Provider}: {Warning}")]
    private static partial void LogProviderFallback(ILogger logger, string model, string provider, string warning);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "ONNX Runtime {Version} ({Library}); execution providers: {Providers}")]
    private static partial void LogRuntime(ILogger logger, string version, string library, string providers);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "No shadow model can run, their triggers are disabled: {Reason}")]
    private static partial void LogRuntimeFailed(ILogger logger, string reason);
}

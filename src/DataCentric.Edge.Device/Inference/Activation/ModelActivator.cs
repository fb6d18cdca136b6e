using System.Diagnostics;
using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Device.Inference.Activation;

/// <summary>
/// Puts a verified model release into service beside the running model: contract and memory checks,
/// load and warm-up, a probation on real frames, then the swap in the model's runner (the old engine
/// is disposed after its run in flight), the release recorded so the next start loads it, and the
/// previous file kept for a rollback. Any failure leaves the running model and its state untouched.
/// One activation or rollback at a time.
/// </summary>
public sealed partial class ModelActivator : IModelActivator, IDisposable
{
    private readonly ShadowModelSet _models;
    private readonly ReleasedModels _released;
    private readonly ModelActivationSettings _settings;
    private readonly string _baseDirectory;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelActivator> _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <param name="baseDirectory">Where configured model paths are resolved (the agent's base directory).</param>
    public ModelActivator(ShadowModelSet models, ReleasedModels released, ModelActivationSettings settings, string baseDirectory, TimeProvider time, ILogger<ModelActivator> logger)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(released);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _models = models;
        _released = released;
        _settings = settings;
        _baseDirectory = baseDirectory;
        _time = time;
        _logger = logger;
    }

    public async Task<ModelActivationOutcome> ActivateAsync(ModelReleasePayload release, string verifiedModelFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(verifiedModelFile);
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var outcome = await ActivateOneAsync(release, verifiedModelFile, cancellationToken).ConfigureAwait(false);
            if (outcome.Failure is { } failure)
            {
                LogRefused(release.Name, release.Version, failure, outcome.Message ?? string.Empty);
            }

            return outcome;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public async Task<ModelActivationOutcome> RollBackAsync(string modelName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RollBackOneAsync(modelName, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public RunningRelease? RunningOf(string modelName)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        return _released.ActiveOf(modelName) is { } active ? new RunningRelease(active.Version, active.Sha256.ToLowerInvariant()) : null;
    }

    public IReadOnlyList<ModelStartupRollback> UnreportedStartupRollbacks() => _released.RestoredAtStart;

    public void StartupRollbackReported(ModelStartupRollback rollback) => _released.RollbackReported(rollback);

    private async Task<ModelActivationOutcome> ActivateOneAsync(ModelReleasePayload release, string file, CancellationToken cancellationToken)
    {
        var name = release.Name;
        if (RunningModel(name, out var notRunning) is not { } model)
        {
            return Failed(ModelActivationFailure.LoadFailed, notRunning);
        }

        var state = _released.StateOf(name);
        if (state.Active is { } active && active.Version == release.Version && string.Equals(active.Sha256, release.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return new ModelActivationOutcome(true, null, $"version {release.Version} of model '{name}' is already active", null);
        }

        if (!File.Exists(file))
        {
            return Failed(ModelActivationFailure.LoadFailed, $"the release's file {file} does not exist");
        }

        var problems = new ConfiguredModelContract([model.Options]).Problems(name, release.Io);
        if (problems.Count > 0)
        {
            return Failed(ModelActivationFailure.LoadFailed, $"version {release.Version} does not fit model '{name}' as configured: {string.Join("; ", problems)}");
        }

        var limit = UnitMemoryLimit.Find(_settings.MemoryLimitBytes);

        // Freed ONNX Runtime transients (a contract read of this file, an earlier load) are not the agent's use.
        NativeHeap.Trim();
        var fileBytes = new FileInfo(file).Length;
        var resident = Environment.WorkingSet;
        var estimate = (long)(fileBytes * _settings.LoadCostFactor);
        if (limit is not null && resident + estimate > limit.Bytes)
        {
            return Failed(ModelActivationFailure.OverMemoryLimit, string.Create(CultureInfo.InvariantCulture,
                $"loading version {release.Version} ({UnitMemoryLimit.Mib(fileBytes)}) beside the running model needs about {UnitMemoryLimit.Mib(estimate)} ({_settings.LoadCostFactor} × the file) on top of the {UnitMemoryLimit.Mib(resident)} resident now: {UnitMemoryLimit.Mib(resident + estimate)} > the {limit}"));
        }

        var staged = _released.Store.Stage(name, release.Version, release.Sha256, file);
        OnnxInferenceEngine? candidate = null;
        var swapped = false;
        try
        {
            try
            {
                candidate = await Task.Run(() => _models.LoadFile(model.Options, _baseDirectory, _released.Store.PathOf(name, staged)), cancellationToken).ConfigureAwait(false);
            }
            catch (ModelConfigurationException e)
            {
                return Failed(ModelActivationFailure.LoadFailed, e.Message);
            }

            if (!string.Equals(candidate.Model.Sha256, release.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return Failed(ModelActivationFailure.LoadFailed, $"the file loaded has SHA-256 {candidate.Model.Sha256}, the release names {release.Sha256}");
            }

            // ONNX Runtime's load transients are freed but still resident in the C heap until trimmed.
            NativeHeap.Trim();
            var loaded = Environment.WorkingSet;
            if (limit is not null && loaded > limit.Bytes)
            {
                return Failed(ModelActivationFailure.OverMemoryLimit, string.Create(CultureInfo.InvariantCulture,
                    $"with version {release.Version} loaded beside the running model the agent uses {UnitMemoryLimit.Mib(loaded)} (was {UnitMemoryLimit.Mib(resident)}): over the {limit}"));
            }

            LogProbation(name, release.Version, _settings.ProbationFrames);
            var probation = await ModelProbation.RunAsync(model, candidate, _settings.ProbationFrames, _settings.ProbationTimeout, limit, cancellationToken).ConfigureAwait(false);
            if (Judge(release, probation, limit) is { } failed)
            {
                return failed;
            }

            // The pending marker goes down before the swap: a crash from here on counts towards the crash loop.
            var next = new ModelReleaseState(name, staged, state.Active, new PendingRelease(_time.GetUtcNow(), 0));
            _released.Commit(next);
            var swapTook = Stopwatch.StartNew();
            Swap(model, candidate);
            swapped = true;
            swapTook.Stop();
            _released.Store.RemoveUnreferenced(next);
            var report = probation.Report;
            LogActivated(name, release.Version, release.Sha256, report.LatencyP50Ms, report.LatencyP95Ms, report.ResidentBytes / (1024 * 1024), swapTook.Elapsed.TotalMilliseconds);
            return new ModelActivationOutcome(true, null, string.Create(CultureInfo.InvariantCulture,
                $"version {release.Version} of model '{name}' is active (probation: {report.Frames} frames, p50 {report.LatencyP50Ms:0.0} ms, p95 {report.LatencyP95Ms:0.0} ms)"), report);
        }
        finally
        {
            if (!swapped)
            {
                candidate?.Dispose();
                _released.Store.RemoveUnreferenced(_released.StateOf(name));
            }
        }
    }

    private static ModelActivationOutcome Failed(ModelActivationFailure failure, string message) => new(false, failure, message, null);

    private ModelActivationOutcome? Judge(ModelReleasePayload release, ProbationRun probation, UnitMemoryLimit? limit)
    {
        var report = probation.Report;
        (ModelActivationFailure Failure, string Why)? verdict =
            report.Errors > 0 ? (ModelActivationFailure.ProbationErrors, $"{report.Errors} of {report.Frames} runs failed, the first with: {probation.FirstError}")
            : limit is not null && report.ResidentBytes > limit.Bytes ? (ModelActivationFailure.OverMemoryLimit, $"the agent used up to {UnitMemoryLimit.Mib(report.ResidentBytes)} during probation: over the {limit}")
            : release.LatencyBudgetMs is { } budget && report.Frames > 0 && report.LatencyP95Ms > budget * _settings.LatencyTolerance
                ? (ModelActivationFailure.OverLatencyBudget, string.Create(CultureInfo.InvariantCulture,
                    $"p95 latency {report.LatencyP95Ms:0.0} ms (p50 {report.LatencyP50Ms:0.0} ms) over {report.Frames} frames exceeds the budget of {budget} ms{(release.Board is { } board ? $" on {board}" : string.Empty)} × {_settings.LatencyTolerance} tolerance"))
            : !probation.Arrived ? (ModelActivationFailure.ProbationErrors, $"only {report.Frames} of {_settings.ProbationFrames} frames arrived for probation within {_settings.ProbationTimeout}")
            : null;
        return verdict is { } v ? new ModelActivationOutcome(false, v.Failure, $"version {release.Version} failed probation: {v.Why}", report) : null;
    }

    private async Task<ModelActivationOutcome> RollBackOneAsync(string name, CancellationToken cancellationToken)
    {
        if (RunningModel(name, out var notRunning) is not { } model)
        {
            return new ModelActivationOutcome(false, ModelActivationFailure.LoadFailed, notRunning, null);
        }

        var state = _released.StateOf(name);
        if (state.Active is not { } current)
        {
            return new ModelActivationOutcome(false, null, $"model '{name}' runs its configured file: there is no earlier model to go back to", null);
        }

        var target = state.Previous;
        var path = target is null ? null : _released.Store.PathOf(name, target);
        if (target is not null && !_released.Store.IsIntact(name, target, out var problem))
        {
            LogPreviousLost(name, problem);
            target = null;
            path = null;
        }

        OnnxInferenceEngine engine;
        try
        {
            engine = await Task.Run(() => _models.LoadFile(model.Options, _baseDirectory, path), cancellationToken).ConfigureAwait(false);
        }
        catch (ModelConfigurationException e)
        {
            return new ModelActivationOutcome(false, ModelActivationFailure.LoadFailed, $"the model before version {current.Version} cannot be loaded: {e.Message}", null);
        }

        var next = new ModelReleaseState(name, target, null, null);
        _released.Commit(next);
        Swap(model, engine);
        _released.Store.RemoveUnreferenced(next);
        var to = target is null ? "the configured file" : $"version {target.Version}";
        LogRolledBack(name, current.Version, to);
        return new ModelActivationOutcome(true, null, $"model '{name}' rolled back from version {current.Version} to {to}", null);
    }

    private ShadowModel? RunningModel(string name, out string problem)
    {
        var model = _models.Models.FirstOrDefault(m => m.Options.Name == name);
        problem = model switch
        {
            null => $"no model named '{name}' is configured under Inference:Models (configured: {string.Join(", ", _models.Models.Select(m => m.Options.Name))})",
            { Engine: null } or { Status.Running: false } => $"model '{name}' is not running ({model.Status.Failure}); a release replaces a running model only",
            _ => string.Empty,
        };
        return problem.Length == 0 ? model : null;
    }

    private void Swap(ShadowModel model, OnnxInferenceEngine engine)
    {
        var old = model.Swap(engine);
        _models.ModelsChanged();

        // Waits for a run still inside the old engine; the runner's next frame is on the new one.
        old?.Dispose();
        NativeHeap.Trim();
    }

    public void Dispose() => _oneAtATime.Dispose();

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "Shadow model {Model}: version {Version} loaded beside the running model, probation on {Frames} frames")]
    private partial void LogProbation(string model, int version, int frames);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "Shadow model {Model}: version {Version} is active (sha256 {ModelSha}; probation p50 {P50Ms:0.0} ms, p95 {P95Ms:0.0} ms, resident {ResidentMiB} MiB; the swap waited {SwapMs:0.00} ms for the run in flight)")]
    private partial void LogActivated(string model, int version, string modelSha, double p50Ms, double p95Ms, long residentMiB, double swapMs);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Shadow model {Model}: version {Version} not activated ({Failure}): {Reason}; the running model is unchanged")]
    private partial void LogRefused(string model, int version, ModelActivationFailure failure, string reason);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Warning, Message = "Shadow model {Model} rolled back from version {Version} to {Target}")]
    private partial void LogRolledBack(string model, int version, string target);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Error, Message = "Shadow model {Model}: the previous release cannot be restored ({Reason}); rolling back to the configured file")]
    private partial void LogPreviousLost(string model, string reason);
}

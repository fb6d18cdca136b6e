using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Device.Inference.Activation;

/// <summary>
/// Which file each configured model runs, across restarts: the device's one record of what runs.
/// At start it picks the released file instead of the configured one, counts the start against a
/// release not yet proven (a clean stop takes it back, <see cref="StoppedCleanly"/>) and, when the
/// release has had <see cref="ModelActivationSettings.CrashLoopStarts"/> starts that neither stopped
/// cleanly nor stayed up for <see cref="ModelActivationSettings.HealthyAfter"/>, restores the model
/// that ran before it, keeping why in the state until the fleet has been told.
/// A state file that cannot be read, or a released file that is missing or torn, falls back to the
/// previous or the configured model with a log line that names the file.
/// </summary>
public sealed partial class ReleasedModels : IDisposable
{
    private readonly ModelReleaseStore _store;
    private readonly ModelActivationSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<ReleasedModels> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ModelReleaseState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ITimer> _healthyTimers = new(StringComparer.Ordinal);

    public ReleasedModels(ModelActivationSettings settings, TimeProvider time, ILogger<ReleasedModels> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = new ModelReleaseStore(settings.StateDirectory);
        _settings = settings;
        _time = time;
        _logger = logger;
    }

    public ModelReleaseStore Store => _store;

    /// <summary>
    /// Releases a start took out of service (crash loop, lost file) that the fleet has not been told
    /// of yet (<see cref="RollbackReported"/>), this start's and any an earlier start left unreported.
    /// </summary>
    public IReadOnlyList<ModelStartupRollback> RestoredAtStart
    {
        get
        {
            lock (_gate)
            {
                return [.. _states.Values.OrderBy(s => s.Name, StringComparer.Ordinal).SelectMany(s => s.UnreportedRollbacks)];
            }
        }
    }

    /// <summary>The fleet has the ack of <paramref name="rollback"/>: it is dropped from the model's state.</summary>
    public void RollbackReported(ModelStartupRollback rollback)
    {
        ArgumentNullException.ThrowIfNull(rollback);
        lock (_gate)
        {
            if (!_states.TryGetValue(rollback.Name, out var state) || !state.UnreportedRollbacks.Contains(rollback))
            {
                return; // Already dropped, or replaced by a later swap or rollback.
            }

            TryWrite(state with { UnreportedRollbacks = [.. state.UnreportedRollbacks.Where(r => r != rollback)] });
        }
    }

    /// <summary>
    /// The agent is stopping cleanly (no worker failed): this start does not count towards a pending
    /// release's crash loop, so planned restarts within <see cref="ModelActivationSettings.HealthyAfter"/>
    /// never roll a good release back. A start that dies never gets here, and so still counts.
    /// </summary>
    public void StoppedCleanly()
    {
        lock (_gate)
        {
            foreach (var state in _states.Values.Where(s => s.Pending is { Starts: > 0 }).ToList())
            {
                if (TryWrite(state with { Pending = state.Pending! with { Starts = state.Pending.Starts - 1 } }))
                {
                    LogCleanStop(state.Name, state.Active!.Version, state.Pending!.Starts - 1);
                }
            }
        }
    }

    /// <summary>The release <paramref name="name"/> runs; null when it runs its configured file.</summary>
    public ReleasedModelFile? ActiveOf(string name) => StateOf(name).Active;

    /// <summary>
    /// The file <paramref name="model"/> loads at this start (null: its configured one). Called once
    /// per model as the models load; the crash-loop count and every fallback happen here.
    /// </summary>
    public string? PathAtStart(ShadowModelOptions model)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            return ChooseAtStart(model.Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A broken state directory must not stop the agent: the configured model always runs.
            LogStateUnusable(model.Name, e.Message);
            lock (_gate)
            {
                _states[model.Name] = new ModelReleaseState(model.Name, null, null, null);
            }

            return null;
        }
    }

    private string? ChooseAtStart(string name)
    {
        ModelReleaseState state;
        try
        {
            state = _store.Read(name);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            var aside = SetAside(name);
            LogStateUnreadable(name, e.Message, aside);
            state = new ModelReleaseState(name, null, null, null);
            Commit(state);
            return null;
        }

        if (state is { Pending: { } pending, Active: { } failing })
        {
            if (pending.Starts >= _settings.CrashLoopStarts)
            {
                var message = string.Create(CultureInfo.InvariantCulture,
                    $"the agent started {pending.Starts} times since version {failing.Version} of model '{name}' was swapped in at {pending.SwappedAt:u} and never stayed up {_settings.HealthyAfter}; the previous model was restored");
                state = Restore(state, failing, ModelActivationFailure.CrashLoop, message);
            }
            else
            {
                state = state with { Pending = pending with { Starts = pending.Starts + 1 } };
                Commit(state);
                LogPendingStart(name, pending.Starts + 1, _settings.CrashLoopStarts, failing.Version);
            }
        }

        while (state.Active is { } active)
        {
            if (_store.IsIntact(name, active, out var problem))
            {
                lock (_gate)
                {
                    _states[name] = state;
                }

                LogReleasedAtStart(name, active.Version, active.Sha256);
                return _store.PathOf(name, active);
            }

            state = Restore(state, active, ModelActivationFailure.LoadFailed, $"the released file of version {active.Version} of model '{name}' cannot be used at start ({problem}); the previous model was restored");
        }

        lock (_gate)
        {
            _states[name] = state;
        }

        return null;
    }

    internal ModelReleaseState StateOf(string name)
    {
        lock (_gate)
        {
            if (_states.TryGetValue(name, out var state))
            {
                return state;
            }
        }

        try
        {
            return _store.Read(name);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // Only a model that was not loaded through PathAtStart gets here (e.g. a name the transfer asks about); treat it as never released.
            return new ModelReleaseState(name, null, null, null);
        }
    }

    /// <summary>
    /// Writes <paramref name="state"/> (atomically) and makes it current. A pending release is
    /// watched: once the agent has stayed up <see cref="ModelActivationSettings.HealthyAfter"/> it is proven.
    /// </summary>
    internal void Commit(ModelReleaseState state)
    {
        lock (_gate)
        {
            _store.Write(state);
            _states[state.Name] = state;
            if (_healthyTimers.Remove(state.Name, out var old))
            {
                old.Dispose();
            }

            if (state is { Pending: not null, Active: { } active })
            {
                _healthyTimers[state.Name] = _time.CreateTimer(_ => Survived(state.Name, active), null, _settings.HealthyAfter, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Survived(string name, ReleasedModelFile release)
    {
        lock (_gate)
        {
            if (!_states.TryGetValue(name, out var state) || state.Pending is null || state.Active != release)
            {
                return;
            }

            state = state with { Pending = null };
            try
            {
                _store.Write(state);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // On a timer thread: an exception here would end the process. The next start counts again.
                LogSurvivalNotRecorded(name, release.Version, e.Message);
                return;
            }

            _states[name] = state;
            _healthyTimers.Remove(name, out var timer);
            timer?.Dispose();
        }

        LogSurvived(name, release.Version, _settings.HealthyAfter);
    }

    private ModelReleaseState Restore(ModelReleaseState state, ReleasedModelFile failing, ModelActivationFailure failure, string message)
    {
        // Why goes into the same write as the restore: a start that dies before the ack is out reports it next time.
        var rollback = new ModelStartupRollback(
            state.Name, failing.Version, failing.Sha256, new ModelActivationOutcome(false, failure, message, null), state.Previous?.Version ?? 0, state.Previous?.Sha256);
        var restored = new ModelReleaseState(state.Name, state.Previous, null, null) { UnreportedRollbacks = [.. state.UnreportedRollbacks, rollback] };
        Commit(restored);
        _store.RemoveUnreferenced(restored);
        LogRestoredAtStart(state.Name, failure, message);
        return restored;
    }

    /// <summary>Writes a state that only changes bookkeeping (no timer to set); false, logged, when the disk refuses.</summary>
    private bool TryWrite(ModelReleaseState state)
    {
        try
        {
            _store.Write(state);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogBookkeepingNotRecorded(state.Name, e.Message);
            return false;
        }

        _states[state.Name] = state;
        return true;
    }

    private string SetAside(string name)
    {
        try
        {
            return _store.SetAsideDamaged(name);
        }
        catch (IOException e)
        {
            return $"(not set aside: {e.Message})";
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var timer in _healthyTimers.Values)
            {
                timer.Dispose();
            }

            _healthyTimers.Clear();
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Shadow model {Model} runs its released version {Version} (sha256 {ModelSha})")]
    private partial void LogReleasedAtStart(string model, int version, string modelSha);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Shadow model {Model}: start {Start} of {MaxStarts} with version {Version}, not yet proven; if the agent keeps dying the previous model is restored")]
    private partial void LogPendingStart(string model, int start, int maxStarts, int version);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Shadow model {Model} rolled back at start ({Failure}): {Reason}")]
    private partial void LogRestoredAtStart(string model, ModelActivationFailure failure, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "Shadow model {Model}: release state unreadable ({Reason}); running the configured model file. The damaged state was kept as {Aside}")]
    private partial void LogStateUnreadable(string model, string reason, string aside);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "Shadow model {Model}: the release state cannot be read or written ({Reason}); running the configured model file")]
    private partial void LogStateUnusable(string model, string reason);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Shadow model {Model}: version {Version} stayed up but that cannot be recorded ({Reason}); the next start counts as one more with it")]
    private partial void LogSurvivalNotRecorded(string model, int version, string reason);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Information, Message = "Shadow model {Model}: the agent stopped cleanly, so this start does not count towards version {Version}'s crash loop ({Starts} counted)")]
    private partial void LogCleanStop(string model, int version, int starts);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Warning, Message = "Shadow model {Model}: the release state cannot be updated ({Reason}); a start-up rollback may be reported again, or this start counted")]
    private partial void LogBookkeepingNotRecorded(string model, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Shadow model {Model}: version {Version} stayed up {HealthyAfter}, it is no longer on probation")]
    private partial void LogSurvived(string model, int version, TimeSpan healthyAfter);
}

using DataCentric.Edge.Core.Triggers;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>What to replay: the set (already checked), and which stored clips of which fleet.</summary>
internal sealed record BacktestPlan(
    string Source, TriggerSourceFormat Format, string Fleet, string? Device, DateTimeOffset? From, DateTimeOffset? To, int MaxClips, string TruthSignal);

/// <summary>
/// One backtest: its latest <see cref="BacktestStatus"/> and a way to wait for the next one, so the
/// progress stream follows it without polling. The runner alone writes it.
/// </summary>
internal sealed class BacktestJob(string id, string user, BacktestPlan plan)
{
    private readonly Lock _gate = new();
    private BacktestStatus _status = new(id, BacktestStates.Queued, 0, 0, null, null);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = id;

    /// <summary>The token name that asked (one backtest queued or running per name).</summary>
    public string User { get; } = user;

    public BacktestPlan Plan { get; } = plan;

    public BacktestStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    public bool IsFinished => Status.State is BacktestStates.Done or BacktestStates.Failed;

    public void Update(Func<BacktestStatus, BacktestStatus> change)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _status = change(_status);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Completes at the next <see cref="Update"/> after <paramref name="seen"/> (at once when the status is already another).</summary>
    public Task ChangedSinceAsync(BacktestStatus seen)
    {
        lock (_gate)
        {
            return ReferenceEquals(seen, _status) ? _changed.Task : Task.CompletedTask;
        }
    }
}

internal static class BacktestStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}

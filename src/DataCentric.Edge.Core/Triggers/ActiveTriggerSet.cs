using System.Runtime.ExceptionServices;
using DataCentric.Edge.Core.Triggers.Documents;

namespace DataCentric.Edge.Core.Triggers;

/// <summary>
/// The trigger set the device runs: the one owner of the active set, its version, the set before
/// it (kept for one rollback) and the rules for changing them. A set is activated only if its
/// version is higher than the active one's; a rollback goes back to the previous set once. Everyone
/// else reads <see cref="Current"/> or follows changes through <see cref="Subscribe"/>: the trigger
/// engine, the device's retained status, the remote sets kept on disk, the config history.
/// </summary>
public sealed class ActiveTriggerSet
{
    /// <summary>The kind of a trigger set entry in the config history (<see cref="Storage.ConfigChange.Kind"/>).</summary>
    public const string ConfigKind = "trigger-set";

    private readonly Lock _lock = new();
    private CompiledTriggerSet _current;
    private CompiledTriggerSet? _previous;
    private Action<TriggerSetChange>[] _followers = [];

    public ActiveTriggerSet(CompiledTriggerSet initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        Initial = initial;
        _current = initial;
    }

    /// <summary>The set this device started with (its configured one), before any activation or rollback.</summary>
    public CompiledTriggerSet Initial { get; }

    public CompiledTriggerSet Current => Volatile.Read(ref _current);

    public int Version => Current.Version;

    /// <summary>The set a rollback goes back to; null when there is none.</summary>
    public CompiledTriggerSet? Previous => Volatile.Read(ref _previous);

    /// <summary>The version rule: a set replaces the active one only with a higher version (older sets and replays are refused).</summary>
    public static bool IsNewer(int version, int activeVersion) => version > activeVersion;

    /// <summary>
    /// Calls <paramref name="follower"/> now with the active set (<see cref="TriggerSetChangeKind.Current"/>),
    /// then after every change, in order and one at a time, on the thread that made it, until the
    /// returned subscription is disposed; no change falls between the first call and the next.
    /// A follower must be quick and must not change the set itself.
    /// </summary>
    public IDisposable Subscribe(Action<TriggerSetChange> follower)
    {
        ArgumentNullException.ThrowIfNull(follower);
        lock (_lock)
        {
            follower(new TriggerSetChange(_current, TriggerSetChangeKind.Current));
            _followers = [.. _followers, follower];
        }

        return new Subscription(this, follower);
    }

    /// <summary>
    /// Makes <paramref name="set"/> the active set and the active one the previous. <paramref name="keep"/>
    /// runs first, once the version rule passed and with no other change in between (e.g. to write the
    /// set to disk); if it throws, nothing changes.
    /// </summary>
    /// <exception cref="TriggerSetRejectedException">The set's version is not higher than the active one's; the active set stays.</exception>
    public void Activate(CompiledTriggerSet set, Action? keep = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        lock (_lock)
        {
            var current = _current;
            if (!IsNewer(set.Version, current.Version))
            {
                throw new TriggerSetRejectedException(
                    [new TriggerDiagnostic(null, "version", $"version {set.Version} is not newer than the active version {current.Version}", 0, 0, Expected: $"a version above {current.Version}")]);
            }

            keep?.Invoke();
            Volatile.Write(ref _previous, current);
            Volatile.Write(ref _current, set);
            Notify(new TriggerSetChange(set, TriggerSetChangeKind.Activated));
        }
    }

    /// <summary>Goes back to the previous set (once: there is no previous after it); false when there is none.</summary>
    public bool Rollback()
    {
        lock (_lock)
        {
            if (_previous is not { } previous)
            {
                return false;
            }

            Volatile.Write(ref _previous, null);
            Volatile.Write(ref _current, previous);
            Notify(new TriggerSetChange(previous, TriggerSetChangeKind.RolledBack));
            return true;
        }
    }

    public UploadPolicy? PolicyOf(string triggerId) => Current.Find(triggerId)?.Upload;

    /// <summary>
    /// Every follower hears of every change: one that throws does not keep it from the others; its
    /// exception is rethrown after, to whoever made the change (which stays made).
    /// </summary>
    private void Notify(TriggerSetChange change)
    {
        List<Exception>? failures = null;
        foreach (var follower in _followers)
        {
            try
            {
                follower(change);
            }
            catch (Exception e)
            {
                (failures ??= []).Add(e);
            }
        }

        if (failures is [var single])
        {
            ExceptionDispatchInfo.Throw(single);
        }

        if (failures is not null)
        {
            throw new AggregateException(failures);
        }
    }

    private void Unsubscribe(Action<TriggerSetChange> follower)
    {
        lock (_lock)
        {
            var index = Array.IndexOf(_followers, follower);
            if (index >= 0)
            {
                _followers = [.. _followers[..index], .. _followers[(index + 1)..]];
            }
        }
    }

    private sealed class Subscription(ActiveTriggerSet owner, Action<TriggerSetChange> follower) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(follower);
            }
        }
    }
}

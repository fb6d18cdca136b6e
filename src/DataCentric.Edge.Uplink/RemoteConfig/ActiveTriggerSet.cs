using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Documents;

namespace DataCentric.Edge.Uplink.RemoteConfig;

/// <summary>
/// The trigger set the device runs now and the one before it (for rollback). The trigger worker
/// follows <see cref="Activated"/>; the upload gate reads each trigger's upload policy here.
/// </summary>
public sealed class ActiveTriggerSet(CompiledTriggerSet initial)
{
    private readonly Lock _lock = new();
    private CompiledTriggerSet _current = initial ?? throw new ArgumentNullException(nameof(initial));
    private CompiledTriggerSet? _previous;

    /// <summary>Raised after every swap, on the thread that swapped; handlers must be quick.</summary>
    public event Action<CompiledTriggerSet>? Activated;

    public CompiledTriggerSet Current => Volatile.Read(ref _current);

    public CompiledTriggerSet? Previous => Volatile.Read(ref _previous);

    public void Activate(CompiledTriggerSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        lock (_lock)
        {
            _previous = _current;
            Volatile.Write(ref _current, set);
        }

        Activated?.Invoke(set);
    }

    /// <summary>Goes back to the previous set (once: there is no previous after it); false when there is none.</summary>
    public bool Rollback()
    {
        CompiledTriggerSet previous;
        lock (_lock)
        {
            if (_previous is null)
            {
                return false;
            }

            previous = _previous;
            _previous = null;
            Volatile.Write(ref _current, previous);
        }

        Activated?.Invoke(previous);
        return true;
    }

    public UploadPolicy? PolicyOf(string triggerId) => Current.Find(triggerId)?.Upload;
}

using System.Collections.Concurrent;

namespace DataCentric.Edge.Core.Signals;

/// <summary>
/// Signals that will not be published and why (e.g. their model failed to load). The trigger
/// engine disables triggers that read one and reports the reason. Cheap to poll: readers compare
/// <see cref="Version"/> and look names up only when it changed.
/// </summary>
public sealed class SignalAvailability
{
    private readonly ConcurrentDictionary<string, string> _reasons = new(StringComparer.Ordinal);
    private int _version;

    /// <summary>Changes whenever a signal becomes unavailable.</summary>
    public int Version => Volatile.Read(ref _version);

    public void MarkUnavailable(string signal, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signal);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        _reasons[signal] = reason;
        Interlocked.Increment(ref _version);
    }

    /// <summary>The reason the first unavailable signal of <paramref name="signals"/> gives, or null when all are available.</summary>
    public string? ReasonFor(IEnumerable<string> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        foreach (var signal in signals)
        {
            if (_reasons.TryGetValue(signal, out var reason))
            {
                return $"{signal}: {reason}";
            }
        }

        return null;
    }
}

namespace DataCentric.Edge.Device.Sources.Sensors;

/// <summary>Whether a source is delivering.</summary>
public enum SourceState
{
    Starting,
    Running,

    /// <summary>Failed or disappeared; waiting to reopen.</summary>
    Retrying,
    Stopped,
}

/// <summary>One source's state for the status report: what failed last, how often it was reopened.</summary>
public sealed record SourceStatus(string Source, SourceState State, string? LastError, int Restarts, DateTimeOffset Since);

/// <summary>The state of every source, updated by the sources, read by the status report.</summary>
public sealed class SourceHealth
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SourceStatus> _sources = new(StringComparer.Ordinal);

    /// <summary>Raised after every change (from the source's thread).</summary>
    public event Action<SourceStatus>? Changed;

    public IReadOnlyCollection<SourceStatus> Snapshot() => [.. _sources.Values];

    public SourceStatus? Of(string source) => _sources.TryGetValue(source, out var status) ? status : null;

    public void Report(SourceStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        _sources[status.Source] = status;
        Changed?.Invoke(status);
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Device.Sources.Sensors;

/// <summary>
/// Counts bad input by kind (malformed message, unknown CAN id, garbage frame...) and logs each
/// kind at most once per interval, so a babbling source cannot flood the journal. The source that
/// owns it keeps running: bad input is reported, never fatal.
/// </summary>
public sealed partial class BadInputCounter(string source, TimeProvider timeProvider, TimeSpan logInterval, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Entry> _kinds = new(StringComparer.Ordinal);

    public string Source { get; } = source;

    /// <summary>Total bad inputs of every kind.</summary>
    public long Total => _kinds.Values.Sum(e => Interlocked.Read(ref e.Count));

    public long CountOf(string kind) => _kinds.TryGetValue(kind, out var entry) ? Interlocked.Read(ref entry.Count) : 0;

    public IReadOnlyDictionary<string, long> Snapshot() => _kinds.ToDictionary(k => k.Key, k => Interlocked.Read(ref k.Value.Count), StringComparer.Ordinal);

    /// <summary>Counts one bad input; logs it when this kind was not logged within the interval.</summary>
    /// <param name="kind">Stable short name, e.g. <c>malformed-json</c>.</param>
    /// <param name="detail">What and where, for the log line.</param>
    public void Report(string kind, string detail)
    {
        var entry = _kinds.GetOrAdd(kind, _ => new Entry());
        var count = Interlocked.Increment(ref entry.Count);
        var now = timeProvider.GetTimestamp();
        lock (entry)
        {
            if (entry.LoggedAt is { } last && timeProvider.GetElapsedTime(last, now) < logInterval)
            {
                return;
            }

            entry.LoggedAt = now;
        }

        LogBadInput(Source, kind, count, detail);
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Bad input from {Source}: {Kind} (seen {Count} times): {Detail}")]
    private partial void LogBadInput(string source, string kind, long count, string detail);

    private sealed class Entry
    {
        public long Count;
        public long? LoggedAt;
    }
}

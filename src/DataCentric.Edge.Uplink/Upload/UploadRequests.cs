using System.Collections.Concurrent;

namespace DataCentric.Edge.Uplink.Upload;

/// <summary>
/// Clips an engineer asked for (a pull command): they go up whatever their trigger's upload policy
/// says. Each request gets a new ticket, so the uploader can tell a request that came while the
/// clip was already going up (the asker's receiver missed its first chunks) from the one it served.
/// </summary>
public sealed class UploadRequests
{
    private readonly ConcurrentDictionary<string, long> _requested = new(StringComparer.Ordinal);
    private long _lastTicket;

    public event Action? Requested;

    public void Request(string clipId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clipId);
        _requested[clipId] = Interlocked.Increment(ref _lastTicket);
        Requested?.Invoke();
    }

    public bool IsRequested(string clipId) => _requested.ContainsKey(clipId);

    /// <summary>The clips requested and not yet served.</summary>
    public IReadOnlyList<string> RequestedIds => [.. _requested.Keys];

    /// <summary>The ticket of the clip's latest request, or null when it is not requested.</summary>
    public long? Ticket(string clipId) => _requested.TryGetValue(clipId, out var ticket) ? ticket : null;

    public void Done(string clipId) => _requested.TryRemove(clipId, out _);

    /// <summary>Marks the request with <paramref name="ticket"/> served.</summary>
    /// <returns>False when a newer request came meanwhile: it stays requested.</returns>
    public bool Done(string clipId, long? ticket) =>
        (ticket is { } served && _requested.TryRemove(KeyValuePair.Create(clipId, served))) || !_requested.ContainsKey(clipId);
}

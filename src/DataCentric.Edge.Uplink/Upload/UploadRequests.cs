using System.Collections.Concurrent;

namespace DataCentric.Edge.Uplink.Upload;

/// <summary>Clips an engineer asked for (a pull command): they go up whatever their trigger's upload policy says.</summary>
public sealed class UploadRequests
{
    private readonly ConcurrentDictionary<string, byte> _requested = new(StringComparer.Ordinal);

    public event Action? Requested;

    public void Request(string clipId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clipId);
        _requested[clipId] = 0;
        Requested?.Invoke();
    }

    public bool IsRequested(string clipId) => _requested.ContainsKey(clipId);

    public void Done(string clipId) => _requested.TryRemove(clipId, out _);
}

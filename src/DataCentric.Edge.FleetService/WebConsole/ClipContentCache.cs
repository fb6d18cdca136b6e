using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.ObjectStore;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>
/// Clips decoded for the clip view, read once from the object store and kept while they fit in
/// <see cref="ConsoleOptions.ClipCacheBytes"/> (least recently used goes first), so stepping through
/// frames costs no object-store read. Concurrent requests for one clip share one read.
/// </summary>
internal sealed class ClipContentCache(IClipObjectStore store, IOptions<ConsoleOptions> options)
{
    private readonly object _lock = new();
    private readonly LinkedList<(string Key, long Bytes, Task<ClipContent> Load)> _entries = new();
    private readonly ConsoleOptions _options = options.Value;
    private long _bytes;

    /// <exception cref="ClipObjectMissingException">The catalog names an object the store does not have.</exception>
    /// <exception cref="ClipTooLargeToViewException">Over <see cref="ConsoleOptions.MaxViewedClipBytes"/>.</exception>
    /// <exception cref="InvalidDataException">The object is not a clip this service can read (the message says where).</exception>
    public Task<ClipContent> GetAsync(CatalogClip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (clip.SizeBytes > _options.MaxViewedClipBytes)
        {
            throw new ClipTooLargeToViewException(
                $"clip '{clip.ClipId}' is {clip.SizeBytes} bytes, over Console:MaxViewedClipBytes ({_options.MaxViewedClipBytes}); download it instead");
        }

        var key = $"{clip.ClipId}/{clip.Sha256}";
        Task<ClipContent> load;
        lock (_lock)
        {
            var node = _entries.First;
            while (node is not null && node.Value.Key != key)
            {
                node = node.Next;
            }

            if (node is not null)
            {
                _entries.Remove(node);
                _entries.AddFirst(node);
                load = node.Value.Load;
            }
            else
            {
                // Not tied to this request: another page may wait on the same read.
                load = LoadAsync(clip);
                _entries.AddFirst((key, clip.SizeBytes, load));
                _bytes += clip.SizeBytes;
                while (_bytes > _options.ClipCacheBytes && _entries.Last is { } last && last != _entries.First)
                {
                    _entries.RemoveLast();
                    _bytes -= last.Value.Bytes;
                }
            }
        }

        return WaitAsync(key, load, cancellationToken);
    }

    private async Task<ClipContent> WaitAsync(string key, Task<ClipContent> load, CancellationToken cancellationToken)
    {
        try
        {
            return await load.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (load.IsFaulted)
        {
            Forget(key, load);
            throw;
        }
    }

    private void Forget(string key, Task<ClipContent> load)
    {
        lock (_lock)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == key && node.Value.Load == load)
                {
                    _entries.Remove(node);
                    _bytes -= node.Value.Bytes;
                    return;
                }
            }
        }
    }

    private async Task<ClipContent> LoadAsync(CatalogClip clip)
    {
        using var bytes = new MemoryStream(checked((int)clip.SizeBytes));
        var content = await store.OpenReadAsync(clip.ObjectKey, null, CancellationToken.None).ConfigureAwait(false)
            ?? throw new ClipObjectMissingException($"clip '{clip.ClipId}' is catalogued but its bytes are not in the object store (key {clip.ObjectKey})");
        await using (content.ConfigureAwait(false))
        {
            await content.Content.CopyToAsync(bytes, CancellationToken.None).ConfigureAwait(false);
        }

        bytes.Position = 0;
        return new McapClipReader().Read(bytes);
    }
}

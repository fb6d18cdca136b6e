using System.Text;
using System.Text.Json;

namespace DataCentric.Edge.Fleet.Receiver;

/// <summary>
/// <c>index.jsonl</c> at the receiver's root: one JSON line per clip received. Several receivers on
/// shared storage append to the same file (one write per line, append mode); readers take the first
/// line per clip and skip lines they cannot parse, so a torn or duplicate line costs nothing.
/// </summary>
public sealed class ReceivedClipIndex
{
    public const string FileName = "index.jsonl";

    private readonly string _path;
    private readonly Dictionary<string, ReceivedClipRecord> _held = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _readUpTo;

    public ReceivedClipIndex(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _path = Path.Combine(root, FileName);
        Refresh();
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Reads the whole index of <paramref name="root"/> (for edgectl and tests).</summary>
    public static IReadOnlyList<ReceivedClipRecord> ReadAll(string root) => new ReceivedClipIndex(root).Snapshot();

    public bool Contains(string fleet, string device, string clipId)
    {
        lock (_lock)
        {
            if (_held.ContainsKey(Key(fleet, device, clipId)))
            {
                return true;
            }
        }

        // Another receiver may have added it since: read what is new.
        Refresh();
        lock (_lock)
        {
            return _held.ContainsKey(Key(fleet, device, clipId));
        }
    }

    public IReadOnlyList<ReceivedClipRecord> Snapshot()
    {
        lock (_lock)
        {
            return [.. _held.Values.OrderBy(r => r.ReceivedAt)];
        }
    }

    public void Add(ReceivedClipRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = JsonSerializer.Serialize(record, ReceivedClipJsonContext.Default.ReceivedClipRecord) + "\n";
        var bytes = Encoding.UTF8.GetBytes(line);
        using (var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }

        lock (_lock)
        {
            _held.TryAdd(Key(record.Fleet, record.Device, record.ClipId), record);
        }
    }

    private void Refresh()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        lock (_lock)
        {
            using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length <= _readUpTo)
            {
                return;
            }

            file.Position = _readUpTo;
            using var reader = new StreamReader(file, Encoding.UTF8);
            var consumed = _readUpTo;
            while (reader.ReadLine() is { } line)
            {
                consumed += Encoding.UTF8.GetByteCount(line) + 1;
                if (consumed > file.Length)
                {
                    break; // A line still being written: read it next time.
                }

                try
                {
                    if (JsonSerializer.Deserialize(line, ReceivedClipJsonContext.Default.ReceivedClipRecord) is { } record)
                    {
                        _held.TryAdd(Key(record.Fleet, record.Device, record.ClipId), record);
                    }
                }
                catch (JsonException)
                {
                    // A torn line from a crash: the clip's next manifest re-adds it.
                }

                _readUpTo = consumed;
            }
        }
    }

    private static string Key(string fleet, string device, string clipId) => $"{fleet}/{device}/{clipId}";
}

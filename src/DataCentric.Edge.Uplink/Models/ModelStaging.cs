using System.Buffers;
using System.Globalization;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// One release's file while it downloads, in <c>{state}/staging/{sha256}/</c>, away from the
/// running model's file: each chunk is written at its place in <c>model.part</c> as it arrives (the
/// file is never held in memory). Every <see cref="RecordEvery"/> chunks, and when the transfer
/// stops, the file is made durable and only then the indices written since are appended to
/// <c>chunks.done</c> (one fsync pair per batch, not per chunk). After a restart (SIGTERM, SIGKILL
/// or power loss) the chunks listed there are not asked for again, and at most one batch is; a torn
/// last line is ignored, so that chunk is asked for again.
/// </summary>
public sealed class ModelStaging : IDisposable
{
    public const string StagingFolder = "staging";

    /// <summary>Chunks written between two durable records: at most this many (1 MiB) are fetched again after a kill or power loss.</summary>
    public const int RecordEvery = 8;
    private const string PartFile = "model.part";
    private const string DoneFile = "chunks.done";
    private readonly Lock _lock = new();
    private readonly HashSet<int> _done = [];
    private readonly List<int> _unrecorded = [];
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _part;
    private readonly FileStream _doneLog;
    private long _bytes;

    private ModelStaging(string directory, ModelReleasePayload release)
    {
        Directory = directory;
        Release = release;
        ChunkCount = ModelTopics.ChunkCount(release.SizeBytes);
        PartPath = Path.Combine(directory, PartFile);
        var donePath = Path.Combine(directory, DoneFile);
        if (File.Exists(donePath))
        {
            var text = File.ReadAllText(donePath);
            var complete = text.LastIndexOf('\n') + 1; // A line without its newline was torn by a power loss.
            foreach (var line in text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < ChunkCount && _done.Add(index))
                {
                    _bytes += ModelTopics.ChunkLength(release.SizeBytes, index);
                }
            }

            if (complete < text.Length)
            {
                using var truncate = new FileStream(donePath, FileMode.Open, FileAccess.Write);
                truncate.SetLength(Encoding.ASCII.GetByteCount(text.AsSpan(0, complete)));
            }
        }

        _part = File.OpenHandle(PartPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        _doneLog = new FileStream(donePath, FileMode.Append, FileAccess.Write, FileShare.Read);

        // The two names, or a power loss takes the chunks recorded in them with them.
        DirectorySync.Sync(directory);
    }

    public string Directory { get; }

    public ModelReleasePayload Release { get; }

    public int ChunkCount { get; }

    /// <summary>The file being assembled; complete and checked only once <see cref="IsComplete"/>.</summary>
    public string PartPath { get; }

    public long BytesReceived
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    public bool IsComplete
    {
        get
        {
            lock (_lock)
            {
                return _done.Count == ChunkCount;
            }
        }
    }

    /// <summary>Opens (or resumes) the staging of <paramref name="release"/> under <paramref name="stateDirectory"/>.</summary>
    public static ModelStaging Open(string stateDirectory, ModelReleasePayload release)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentNullException.ThrowIfNull(release);
        var directory = DirectorySync.CreateDurably(Path.Combine(stateDirectory, StagingFolder, release.Sha256.ToLowerInvariant()));
        return new ModelStaging(directory, release);
    }

    /// <summary>Removes every staging folder but those of <paramref name="keep"/> (SHA-256s): superseded or abandoned transfers.</summary>
    public static IReadOnlyList<string> RemoveStale(string stateDirectory, IReadOnlySet<string> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var root = Path.Combine(stateDirectory, StagingFolder);
        if (!System.IO.Directory.Exists(root))
        {
            return [];
        }

        var removed = new List<string>();
        foreach (var folder in System.IO.Directory.GetDirectories(root))
        {
            if (!keep.Contains(Path.GetFileName(folder)))
            {
                System.IO.Directory.Delete(folder, recursive: true);
                removed.Add(folder);
            }
        }

        return removed;
    }

    /// <summary>The chunk indices still to fetch, in order.</summary>
    public IReadOnlyList<int> Missing()
    {
        lock (_lock)
        {
            return [.. Enumerable.Range(0, ChunkCount).Where(i => !_done.Contains(i))];
        }
    }

    public bool Has(int index)
    {
        lock (_lock)
        {
            return _done.Contains(index);
        }
    }

    /// <summary>
    /// Writes chunk <paramref name="index"/> and records it durably. Returns null when written (or
    /// already held), else why the chunk cannot belong to the signed file (its length).
    /// </summary>
    public string? Write(int index, ReadOnlySequence<byte> chunk, string topic)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index >= ChunkCount)
        {
            return $"{topic}: chunk {index} is past the file's last chunk {ChunkCount - 1} ({Release.SizeBytes} bytes signed)";
        }

        var expected = ModelTopics.ChunkLength(Release.SizeBytes, index);
        if (chunk.Length != expected)
        {
            var how = chunk.Length < expected ? "the file on the broker is truncated" : "the file on the broker is longer than signed";
            return $"{topic}: chunk {index} is {chunk.Length} bytes, {expected} expected for {Release.SizeBytes} signed bytes in {ModelTopics.ChunkBytes}-byte chunks ({how})";
        }

        lock (_lock)
        {
            if (_done.Contains(index))
            {
                return null;
            }

            var offset = (long)index * ModelTopics.ChunkBytes;
            foreach (var segment in chunk)
            {
                RandomAccess.Write(_part, segment.Span, offset);
                offset += segment.Length;
            }

            _done.Add(index);
            _unrecorded.Add(index);
            _bytes += expected;
            if (_unrecorded.Count >= RecordEvery || _done.Count == ChunkCount)
            {
                Record();
            }

            return null;
        }
    }

    /// <summary>Makes the chunks written so far durable and records them (also done by <see cref="Dispose"/>).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (!_part.IsClosed)
            {
                Record();
            }
        }
    }

    /// <summary>Closes the files and removes the folder (the transfer is over, whatever its outcome).</summary>
    public void Delete()
    {
        Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (!_part.IsClosed)
            {
                Record();
            }

            _part.Dispose();
            _doneLog.Dispose();
        }
    }

    /// <summary>The data first, then the record that it is there: a record never points at bytes a power loss took. Under the lock.</summary>
    private void Record()
    {
        if (_unrecorded.Count == 0)
        {
            return;
        }

        RandomAccess.FlushToDisk(_part);
        Span<byte> line = stackalloc byte[12];
        foreach (var index in _unrecorded)
        {
            index.TryFormat(line, out var written, provider: CultureInfo.InvariantCulture);
            line[written++] = (byte)'\n';
            _doneLog.Write(line[..written]);
        }

        _doneLog.Flush(flushToDisk: true);
        _unrecorded.Clear();
    }
}

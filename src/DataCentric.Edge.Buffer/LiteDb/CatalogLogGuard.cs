using DataCentric.Edge.Core.Storage;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DataCentric.Edge.Buffer.LiteDb;

/// <summary>
/// Tells whether a leftover LiteDB <c>-log.db</c> belongs to the <c>.db</c> next to it.
/// </summary>
/// <remarks>
/// LiteDB writes only its log between checkpoints; the data file changes only during a
/// checkpoint (the catalog turns LiteDB's own automatic checkpoint off). So after each checkpoint
/// the guard records a fingerprint of the data file (length, last-write time, SHA-256 of the
/// 8 KiB header page) in <c>&lt;db&gt;.owner</c>, and before each checkpoint it records that one is
/// under way. At open, a non-empty log is accepted when the data file still has the recorded
/// fingerprint, or when the last run stopped inside a checkpoint (LiteDB's own recovery: the log
/// is replayed again); anything else means the data file was replaced since the log was written.
/// Limitation: a data file replaced while the last run was inside a checkpoint is not detected.
/// </remarks>
internal sealed class CatalogLogGuard
{
    private const int RecordLength = 256;
    private const int HeaderPageBytes = 8192;
    private const string Clean = "clean";
    private const string Busy = "busy";

    private readonly string _dataPath;
    private readonly string _logPath;
    private readonly string _ownerPath;

    public CatalogLogGuard(string dataPath)
    {
        _dataPath = dataPath;
        _logPath = Path.Combine(Path.GetDirectoryName(dataPath)!, Path.GetFileNameWithoutExtension(dataPath) + "-log" + Path.GetExtension(dataPath));
        _ownerPath = dataPath + ".owner";
    }

    public string LogPath => _logPath;

    /// <exception cref="StaleCatalogLogException">The log does not belong to the data file.</exception>
    public void CheckBeforeOpen()
    {
        var log = new FileInfo(_logPath);
        if (!log.Exists || log.Length == 0)
        {
            return;
        }

        if (!File.Exists(_dataPath))
        {
            throw new StaleCatalogLogException(
                $"Catalog log {_logPath} ({log.Length} bytes) has no data file {_dataPath} beside it. " +
                "Restore the data file it belongs to, or move the log away to start an empty catalog.");
        }

        var recorded = ReadOwner();
        if (recorded is null)
        {
            throw new StaleCatalogLogException(
                $"Catalog log {_logPath} ({log.Length} bytes) has no owner record ({_ownerPath}), so it cannot be shown to belong to {_dataPath}; " +
                "LiteDB would replay it into that file. Move the log away if the data file is the one to keep.");
        }

        if (recorded.Value.State == Busy)
        {
            return;
        }

        var current = Fingerprint();
        if (!string.Equals(recorded.Value.Fingerprint, current, StringComparison.Ordinal))
        {
            throw new StaleCatalogLogException(
                $"Catalog log {_logPath} ({log.Length} bytes) does not belong to {_dataPath}: the data file changed since the log was written " +
                $"(recorded {recorded.Value.Fingerprint}, found {current}). LiteDB would replay the log into it and corrupt it. " +
                "Restore the matching data file, or move the log away if this data file is the one to keep.");
        }
    }

    /// <summary>
    /// True when the last run's record says "clean" (read before <see cref="MarkBusy"/>): the data file
    /// is a completed, synced checkpoint, and the log holds only what was written after it.
    /// </summary>
    public bool LastRunEndedOutsideACheckpoint() => ReadOwner() is { State: Clean };

    /// <summary>Moves the log aside (kept for inspection, never replayed); the new path.</summary>
    public string SetAsideLog()
    {
        var target = string.Create(CultureInfo.InvariantCulture, $"{_logPath}.unreadable-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}");
        File.Move(_logPath, target, overwrite: true);
        DirectorySync.Sync(Path.GetDirectoryName(_logPath)!);
        return target;
    }

    /// <summary>Before the data file is written (open, checkpoint): the fingerprint is about to change.</summary>
    public void MarkBusy() => WriteOwner(Busy, "-");

    /// <summary>After a checkpoint synced the data file: the log is empty and belongs to this data file.</summary>
    public void MarkClean() => WriteOwner(Clean, Fingerprint());

    private string Fingerprint()
    {
        var info = new FileInfo(_dataPath);
        Span<byte> header = stackalloc byte[HeaderPageBytes];
        int read;
        using (var stream = new FileStream(_dataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            read = stream.ReadAtLeast(header, HeaderPageBytes, throwOnEndOfStream: false);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(header[..read]))[..32];
        return string.Create(CultureInfo.InvariantCulture, $"{info.Length}/{info.LastWriteTimeUtc.Ticks}/{hash}");
    }

    private (string State, string Fingerprint)? ReadOwner()
    {
        if (!File.Exists(_ownerPath))
        {
            return null;
        }

        var parts = File.ReadAllText(_ownerPath).TrimEnd('\0', ' ', '\n').Split(' ');
        return parts.Length == 2 && parts[0] is Clean or Busy ? (parts[0], parts[1]) : null;
    }

    private void WriteOwner(string state, string fingerprint)
    {
        // Fixed length, rewritten in place and synced: one small write, never a torn rename.
        var record = new byte[RecordLength];
        Encoding.ASCII.GetBytes($"{state} {fingerprint}\n", record);
        var created = !File.Exists(_ownerPath);
        using (var stream = new FileStream(_ownerPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read))
        {
            stream.Write(record);
            stream.Flush(flushToDisk: true);
        }

        if (created)
        {
            DirectorySync.Sync(Path.GetDirectoryName(_ownerPath)!);
        }
    }
}

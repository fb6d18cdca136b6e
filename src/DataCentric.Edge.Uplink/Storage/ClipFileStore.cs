using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Uplink.Storage;

/// <summary>
/// Writes clip files durably and catalogues them: temp file → fsync → rename → catalog entry.
/// A clip is "stored" (and may be reported) only after <see cref="Save"/> returns.
/// </summary>
public sealed class ClipFileStore
{
    public const string ModelShaKey = "model.sha256";

    private readonly string _directory;
    private readonly IClipWriter _writer;
    private readonly IClipCatalog _catalog;
    private readonly TimeProvider _timeProvider;

    public ClipFileStore(string directory, IClipWriter writer, IClipCatalog catalog, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _directory = Directory.CreateDirectory(directory).FullName;
        _writer = writer;
        _catalog = catalog;
        _timeProvider = timeProvider;
    }

    public string ClipDirectory => _directory;

    public string PathOf(StoredClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return Path.Combine(_directory, clip.FileName);
    }

    public StoredClip Save(ClipContent clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var fileName = clip.ClipId + _writer.FileExtension;
        var finalPath = Path.Combine(_directory, fileName);
        var tempPath = finalPath + ".tmp";
        long size;
        string sha256;
        try
        {
            using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var hashing = new HashingWriteStream(file))
            {
                _writer.Write(clip, hashing);
                hashing.Flush();
                file.Flush(flushToDisk: true);
                size = file.Length;
                sha256 = hashing.HashHex();
            }

            File.Move(tempPath, finalPath);
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }

        var stored = new StoredClip(
            clip.ClipId,
            fileName,
            size,
            sha256,
            clip.Events.Count == 0 ? 0 : clip.Events.Max(e => e.Priority),
            [.. clip.Events.SelectMany(e => e.Triggers).Select(t => t.TriggerId).Distinct()],
            [.. clip.Events.Select(e => e.EventId)],
            clip.WallClockStart,
            clip.WallClockStart + (clip.End - clip.Start),
            clip.Frames.Count,
            clip.Metadata.GetValueOrDefault(ModelShaKey),
            _timeProvider.GetUtcNow());
        _catalog.AddClip(stored);
        return stored;
    }

    /// <summary>SHA-256 of a stored file, to verify it before upload or after a crash.</summary>
    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

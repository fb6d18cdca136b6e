using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Buffer;

/// <summary>
/// Writes clip files durably and catalogues them: temp file → fsync (SHA-256 taken meanwhile) →
/// rename → fsync of the directory → catalog entry (committed, checkpointed and synced by the catalog). A clip is
/// "stored" (and may be reported) only after <see cref="Save"/> (or <see cref="Commit"/>) returns; a crash before that leaves
/// at most a temp file or an uncatalogued file, which <see cref="ClipStoreReconciler"/> cleans up.
/// </summary>
public sealed class ClipFileStore : IClipFileLocator
{
    public const string ModelShaKey = "model.sha256";
    public const string TempExtension = ".tmp";
    public const string QuarantineFolder = "quarantine";

    private readonly string _directory;
    private readonly IClipWriter _writer;
    private readonly IClipFileIndex _catalog;
    private readonly TimeProvider _timeProvider;

    public ClipFileStore(string directory, IClipWriter writer, IClipFileIndex catalog, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(timeProvider);
        // The folder's own name must survive a power loss as much as the clips in it.
        _directory = DirectorySync.CreateDurably(directory);
        _writer = writer;
        _catalog = catalog;
        _timeProvider = timeProvider;
    }

    public string ClipDirectory => _directory;

    public string QuarantineDirectory => Path.Combine(_directory, QuarantineFolder);

    public string FileExtension => _writer.FileExtension;

    public string PathOf(StoredClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return Path.Combine(_directory, clip.FileName);
    }

    /// <exception cref="StorageFullException">No room on the disk: nothing is left behind.</exception>
    /// <exception cref="IOException">Any other write failure: nothing is left behind.</exception>
    public StoredClip Save(ClipContent clip) => Commit(Prepare(clip));

    /// <summary>
    /// Writes the clip to its temp name and syncs it, so its exact size is known before it enters
    /// the clip folder (retention makes room for it first). Follow with <see cref="Commit"/> or <see cref="Discard"/>.
    /// </summary>
    /// <exception cref="StorageFullException">No room on the disk: nothing is left behind.</exception>
    /// <exception cref="IOException">Any other write failure: nothing is left behind.</exception>
    public PreparedClip Prepare(ClipContent clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var fileName = clip.ClipId + _writer.FileExtension;
        var tempPath = Path.Combine(_directory, fileName) + TempExtension;
        long size;
        string sha256;
        try
        {
            using var file = new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            _writer.Write(clip, file);
            file.Flush(flushToDisk: false);
            size = file.Length;

            // The hash is read back from the file while fsync waits for the disk: the CPU work
            // overlaps the I/O wait, and what is hashed is what the file holds.
            string? hash = null;
            try
            {
                Parallel.Invoke(() => file.Flush(flushToDisk: true), () => hash = HashFile(tempPath));
            }
            catch (AggregateException e)
            {
                ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            }

            sha256 = hash!;
        }
        catch (Exception e)
        {
            Abandon(tempPath, clip.ClipId, e);
            throw;
        }

        return new PreparedClip(Describe(clip, fileName, size, sha256, _timeProvider.GetUtcNow()), tempPath);
    }

    /// <summary>Renames a prepared clip into the clip folder, syncs the folder and catalogues it: the clip is stored.</summary>
    /// <exception cref="StorageFullException">No room on the disk: nothing is left behind.</exception>
    /// <exception cref="IOException">Any other failure: nothing is left behind.</exception>
    public StoredClip Commit(PreparedClip prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var finalPath = PathOf(prepared.Clip);
        try
        {
            File.Move(prepared.TempPath, finalPath, overwrite: false);
            DirectorySync.Sync(_directory);
        }
        catch (Exception e)
        {
            Abandon(prepared.TempPath, prepared.Clip.ClipId, e);
            throw;
        }

        try
        {
            _catalog.AddClip(prepared.Clip);
        }
        catch
        {
            // Never reported stored: an uncatalogued file would only be an orphan to clean up later.
            File.Delete(finalPath);
            throw;
        }

        return prepared.Clip;
    }

    /// <summary>Removes a prepared clip that will not be stored.</summary>
    public static void Discard(PreparedClip prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        File.Delete(prepared.TempPath);
    }

    /// <summary>
    /// Checks a stored clip's file against its catalogued size and SHA-256. A missing file is marked
    /// missing; a changed one is moved to <see cref="QuarantineDirectory"/> and marked quarantined,
    /// so it is never uploaded as if it were intact.
    /// </summary>
    public ClipFileCheck Verify(StoredClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var path = PathOf(clip);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            _catalog.SetFileState(clip.ClipId, ClipFileState.Missing);
            return ClipFileCheck.Missing;
        }

        if (info.Length == clip.SizeBytes && string.Equals(HashFile(path), clip.Sha256, StringComparison.Ordinal))
        {
            return ClipFileCheck.Intact;
        }

        Quarantine(clip);
        return ClipFileCheck.Corrupt;
    }

    /// <summary>Moves the clip's file out of the clip folder and marks it quarantined.</summary>
    public void Quarantine(StoredClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        Directory.CreateDirectory(QuarantineDirectory);
        File.Move(PathOf(clip), Path.Combine(QuarantineDirectory, clip.FileName), overwrite: true);
        _catalog.SetFileState(clip.ClipId, ClipFileState.Quarantined);
    }

    /// <summary>Deletes a clip's file (retention); the caller records the eviction.</summary>
    public void DeleteFile(StoredClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        File.Delete(PathOf(clip));
    }

    /// <summary>Removes the temp file of a clip that failed; a full disk is thrown as <see cref="StorageFullException"/>.</summary>
    private void Abandon(string tempPath, string clipId, Exception e)
    {
        File.Delete(tempPath);
        if (e is IOException io && StorageFullException.IsDiskFull(io))
        {
            throw new StorageFullException($"No space left in {_directory} for clip {clipId}; the clip was abandoned.", e);
        }
    }

    /// <summary>SHA-256 of a stored file, to verify it before upload or after a crash.</summary>
    public static string HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The catalog entry for a clip written to <paramref name="fileName"/>.</summary>
    internal static StoredClip Describe(ClipContent clip, string fileName, long size, string sha256, DateTimeOffset createdAt) => new(
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
        createdAt);
}

/// <summary>A clip written and synced under its temp name, not yet in the clip folder nor catalogued.</summary>
public sealed record PreparedClip(StoredClip Clip, string TempPath);

public enum ClipFileCheck
{
    Intact,
    Missing,
    Corrupt,
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Fleet.Receiver;

/// <summary>
/// The receiver's files, safe to share between several receivers (a shared subscription hands the
/// chunks of one clip to different instances):
/// <list type="bullet">
/// <item><c>{root}/{fleet}/{device}/{yyyy-MM-dd}/{file}</c>: clips held whole, by the clip's start date (UTC);</item>
/// <item><c>{root}/.partial/{fleet}/{device}/{clipId}/</c>: the manifest and one file per chunk, each
/// written to a temp name and renamed, so a resend or a second receiver changes nothing;</item>
/// <item><c>{root}/index.jsonl</c>: <see cref="ReceivedClipIndex"/>.</item>
/// </list>
/// Whoever sees the last piece arrive assembles the clip under a lock file, verifies its SHA-256,
/// fsyncs and renames it into place; only then is it acknowledged.
/// </summary>
public sealed class ReceiverStorage
{
    private const string ManifestFile = "manifest.json";
    private readonly TimeProvider _timeProvider;

    public ReceiverStorage(string root, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Root = Directory.CreateDirectory(root).FullName;
        PartialRoot = Directory.CreateDirectory(Path.Combine(Root, ".partial")).FullName;
        Index = new ReceivedClipIndex(Root);
        _timeProvider = timeProvider;
    }

    public string Root { get; }

    public string PartialRoot { get; }

    public ReceivedClipIndex Index { get; }

    /// <summary>Where a clip of this manifest lies once whole.</summary>
    public string FinalPath(ClipManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return Path.Combine(Root, manifest.Fleet, manifest.Device, manifest.StartWall.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), manifest.FileName);
    }

    public bool IsHeld(string fleet, string device, string clipId) => Index.Contains(fleet, device, clipId);

    public void WriteManifest(ClipManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var dir = PartialDirectory(manifest.Fleet, manifest.Device, manifest.ClipId);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, ManifestFile);
        if (File.Exists(path) && ReadManifest(dir) is { } existing && existing.ChunkBytes != manifest.ChunkBytes)
        {
            // The device changed its chunk size (the broker refused bigger packets): old chunks no longer fit.
            foreach (var chunk in Directory.EnumerateFiles(dir, "chunk-*"))
            {
                File.Delete(chunk);
            }
        }

        WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(manifest, UplinkJson.TypeInfo<ClipManifest>()), overwrite: true);
    }

    /// <summary>Writes one chunk unless it is already there; false for a duplicate.</summary>
    public bool WriteChunk(string fleet, string device, string clipId, int index, int count, int chunkBytes, ReadOnlySpan<byte> data)
    {
        if (index < 0 || index >= count || data.Length > chunkBytes || data.Length == 0)
        {
            throw new InvalidDataException($"chunk {index}/{count} of {data.Length} bytes does not fit chunks of {chunkBytes} bytes");
        }

        var dir = Directory.CreateDirectory(PartialDirectory(fleet, device, clipId)).FullName;
        return WriteAtomically(Path.Combine(dir, ChunkName(chunkBytes, index)), data, overwrite: false);
    }

    /// <summary>
    /// Assembles and verifies the clip if its manifest and every chunk are in and no other receiver
    /// is at it. Null when it is not complete yet (or another receiver is assembling it).
    /// </summary>
    public (ClipAck Ack, ReceivedClip? Clip)? TryComplete(string fleet, string device, string clipId)
    {
        var dir = PartialDirectory(fleet, device, clipId);
        if (ReadManifest(dir) is not { } manifest)
        {
            return null;
        }

        var chunks = Enumerable.Range(0, manifest.ChunkCount).Select(i => Path.Combine(dir, ChunkName(manifest.ChunkBytes, i))).ToArray();
        if (!chunks.All(File.Exists))
        {
            return null;
        }

        using var gate = TryGate(dir);
        if (gate is null)
        {
            return null; // Another receiver is assembling it and will ack.
        }

        if (IsHeld(fleet, device, clipId))
        {
            return (new ClipAck(clipId, ClipAckStatus.Complete, manifest.Sha256, "already held"), null);
        }

        // Looked at again under the gate: a sweep may have removed the clip as abandoned since.
        return chunks.All(File.Exists) ? Assemble(manifest, chunks, dir) : null;
    }

    /// <summary>
    /// Removes partial clips nothing was written to for <paramref name="idleFor"/> (a device that
    /// never finished, late duplicates of a clip already assembled); returns what it removed.
    /// </summary>
    public IReadOnlyList<string> RemoveAbandoned(TimeSpan idleFor)
    {
        var cutoff = _timeProvider.GetUtcNow().UtcDateTime - idleFor;
        var removed = new List<string>();
        foreach (var clipDir in Directory.EnumerateDirectories(PartialRoot, "*", SearchOption.AllDirectories).Where(IsClipDirectory).ToList())
        {
            if (!IdleSince(clipDir, cutoff))
            {
                continue;
            }

            // Looked at again under the gate assembly holds: a clip assembled since the first look is
            // gone (not abandoned), and one being assembled is not ours to remove.
            using var gate = TryGate(clipDir);
            if (gate is not null && IdleSince(clipDir, cutoff))
            {
                Directory.Delete(clipDir, recursive: true);
                removed.Add(Path.GetRelativePath(PartialRoot, clipDir));
            }
        }

        return removed;
    }

    /// <summary>Whether a partial clip is still there and nothing was written to it since <paramref name="cutoff"/>.</summary>
    private static bool IdleSince(string clipDir, DateTime cutoff)
    {
        try
        {
            // A file removed between listing and reading gives year 1601: seen again under the gate.
            var newest = Directory.EnumerateFiles(clipDir).Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(Directory.GetLastWriteTimeUtc(clipDir)).Max();
            return newest < cutoff && Directory.Exists(clipDir);
        }
        catch (DirectoryNotFoundException)
        {
            return false; // Assembled and removed while we looked.
        }
    }

    /// <summary>
    /// The lock a clip's assembly and removal are done under, across receivers sharing the folder;
    /// null while another holds it.
    /// </summary>
    private static FileStream? TryGate(string clipDir)
    {
        try
        {
            return new FileStream(clipDir + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            return null;
        }
    }

    // {partial}/{fleet}/{device}/{clipId}: three levels below the partial root.
    private bool IsClipDirectory(string path) => Path.GetRelativePath(PartialRoot, path).Count(c => c == Path.DirectorySeparatorChar) == 2;

    /// <summary>Partial clips whose manifest is in: candidates for <see cref="TryComplete"/> when chunks were split between receivers.</summary>
    public IEnumerable<(string Fleet, string Device, string ClipId)> PartialClips()
    {
        foreach (var fleetDir in Directory.EnumerateDirectories(PartialRoot))
        {
            foreach (var deviceDir in Directory.EnumerateDirectories(fleetDir))
            {
                foreach (var clipDir in Directory.EnumerateDirectories(deviceDir))
                {
                    if (File.Exists(Path.Combine(clipDir, ManifestFile)))
                    {
                        yield return (Path.GetFileName(fleetDir), Path.GetFileName(deviceDir), Path.GetFileName(clipDir));
                    }
                }
            }
        }
    }

    private (ClipAck Ack, ReceivedClip? Clip) Assemble(ClipManifest manifest, string[] chunks, string partialDir)
    {
        var finalPath = FinalPath(manifest);
        Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
        var temp = Path.Combine(Path.GetDirectoryName(finalPath)!, $".{manifest.ClipId}.{Guid.NewGuid():N}.tmp");
        string sha;
        long size;
        using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[manifest.ChunkBytes];
            foreach (var chunk in chunks)
            {
                var length = ReadWhole(chunk, buffer);
                hash.AppendData(buffer, 0, length);
                output.Write(buffer, 0, length);
            }

            output.Flush(flushToDisk: true);
            size = output.Length;
            sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        if (size != manifest.SizeBytes || sha != manifest.Sha256)
        {
            File.Delete(temp);
            Directory.Delete(partialDir, recursive: true);
            return (new ClipAck(manifest.ClipId, ClipAckStatus.HashMismatch, manifest.Sha256, $"received {size} bytes with sha256 {sha}"), null);
        }

        File.Move(temp, finalPath, overwrite: true);
        Index.Add(new ReceivedClipRecord(
            manifest.Fleet, manifest.Device, manifest.ClipId, Path.GetRelativePath(Root, finalPath), manifest.SizeBytes, manifest.Sha256,
            manifest.Priority, manifest.TriggerIds, manifest.StartWall, manifest.EndWall, _timeProvider.GetUtcNow()));
        Directory.Delete(partialDir, recursive: true);
        return (new ClipAck(manifest.ClipId, ClipAckStatus.Complete, manifest.Sha256, null), new ReceivedClip(manifest, finalPath));
    }

    private string PartialDirectory(string fleet, string device, string clipId) => Path.Combine(PartialRoot, fleet, device, clipId);

    private static string ChunkName(int chunkBytes, int index) => string.Create(CultureInfo.InvariantCulture, $"chunk-{chunkBytes}-{index:D7}");

    private static ClipManifest? ReadManifest(string dir)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(dir, ManifestFile)), UplinkJson.TypeInfo<ClipManifest>());
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    private static int ReadWhole(string path, byte[] buffer)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        if (file.Length > buffer.Length)
        {
            throw new InvalidDataException($"{path} is larger than a chunk");
        }

        file.ReadExactly(buffer, 0, (int)file.Length);
        return (int)file.Length;
    }

    private static bool WriteAtomically(string path, ReadOnlySpan<byte> data, bool overwrite)
    {
        if (!overwrite && File.Exists(path))
        {
            return false;
        }

        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
        {
            file.Write(data);
        }

        try
        {
            File.Move(temp, path, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            File.Delete(temp);
            return false;
        }
    }
}

using System.Security.Cryptography;
using DataCentric.Edge.Core.Upload;

namespace DataCentric.Edge.Uplink.Mqtt;

/// <summary>
/// One clip being reassembled on disk: each chunk is written at its offset (so duplicates are
/// harmless), and the clip is complete when the manifest and every chunk are in.
/// </summary>
internal sealed class ClipAssembly(string partialPath)
{
    private readonly HashSet<int> _received = [];

    public ClipManifest? Manifest { get; set; }

    public int ExpectedChunks { get; private set; } = -1;

    public string PartialPath { get; } = partialPath;

    public DateTime LastActivityUtc { get; private set; } = DateTime.UtcNow;

    public bool IsComplete => Manifest is not null && _received.Count == Manifest.ChunkCount;

    public void Write(int index, int count, int chunkBytes, ReadOnlySpan<byte> data)
    {
        if (index < 0 || index >= count || data.Length > chunkBytes)
        {
            throw new InvalidDataException($"Chunk {index}/{count} of {data.Length} bytes does not fit chunks of {chunkBytes} bytes.");
        }

        using (var file = new FileStream(PartialPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None))
        {
            file.Position = (long)index * chunkBytes;
            file.Write(data);
        }

        ExpectedChunks = count;
        _received.Add(index);
        LastActivityUtc = DateTime.UtcNow;
    }

    /// <summary>Truncates to the manifest's size and checks the hash.</summary>
    public bool Verify()
    {
        using var file = new FileStream(PartialPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        file.SetLength(Manifest!.SizeBytes);
        file.Flush(flushToDisk: true);
        file.Position = 0;
        return Convert.ToHexStringLower(SHA256.HashData(file)) == Manifest.Sha256;
    }
}

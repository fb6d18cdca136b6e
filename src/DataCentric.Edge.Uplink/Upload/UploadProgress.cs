namespace DataCentric.Edge.Uplink.Upload;

/// <summary>
/// How far one clip's upload got: the chunks the broker acknowledged in order (a contiguous prefix,
/// what a restart may skip) and how much of that the catalog holds. It decides when the prefix is
/// worth a catalog write: every <see cref="SaveEveryChunks"/> chunks while the link runs, or once
/// <c>saveInterval</c> has passed while the uploader waits for the broker.
/// </summary>
internal sealed class UploadProgress
{
    /// <summary>
    /// Half the publish window: a kill resends at most this many acknowledged chunks plus those in
    /// flight, for about one catalog write per 8 chunks (1 MiB at 128 KiB) on a fast link.
    /// </summary>
    internal const int SaveEveryChunks = 8;

    private readonly TimeSpan _saveInterval;
    private readonly TimeProvider _timeProvider;
    private long _savedAt;

    public UploadProgress(int resumeAt, int chunkBytes, TimeSpan saveInterval, TimeProvider timeProvider)
    {
        Acknowledged = resumeAt;
        ChunkBytes = chunkBytes;
        Saved = resumeAt;
        _saveInterval = saveInterval;
        _timeProvider = timeProvider;
        _savedAt = timeProvider.GetTimestamp();
    }

    /// <summary>The size every chunk of this try has: saved with the position, which counts in it.</summary>
    public int ChunkBytes { get; }

    /// <summary>Chunks 0..Acknowledged-1 are acknowledged by the broker.</summary>
    public int Acknowledged { get; private set; }

    /// <summary>What the catalog holds as chunks sent.</summary>
    public int Saved { get; private set; }

    public bool IsUnsaved => Acknowledged > Saved;

    /// <summary>Enough acknowledged chunks to be worth a write even while the link runs.</summary>
    public bool IsWorthSaving => Acknowledged - Saved >= SaveEveryChunks;

    /// <summary>How long the unsaved part may wait for its write; zero or less means now.</summary>
    public TimeSpan SaveDueIn => _saveInterval - _timeProvider.GetElapsedTime(_savedAt);

    /// <summary>Counts chunk <paramref name="index"/>, which must be the next in order.</summary>
    public void Acknowledge(int index)
    {
        if (index != Acknowledged)
        {
            throw new InvalidOperationException($"chunk {index} acknowledged out of order (next is {Acknowledged})");
        }

        Acknowledged = index + 1;
    }

    public void MarkSaved()
    {
        Saved = Acknowledged;
        _savedAt = _timeProvider.GetTimestamp();
    }
}

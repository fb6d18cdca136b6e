namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>How an <see cref="McapWriter"/> lays out a file.</summary>
public sealed class McapWriterOptions
{
    /// <summary>
    /// A chunk is closed once its records reach this many bytes. Larger chunks index more coarsely;
    /// smaller ones cost a chunk header, a chunk index and message indexes each.
    /// </summary>
    public int ChunkThresholdBytes { get; init; } = 768 * 1024;

    /// <summary>Header profile; empty means no well-known profile.</summary>
    public string Profile { get; init; } = string.Empty;

    /// <summary>Header library field: who wrote the file, for debugging.</summary>
    public string Library { get; init; } = "DataCentric.Edge " + typeof(McapWriterOptions).Assembly.GetName().Version;
}

namespace DataCentric.Edge.Core.Recording.Mcap;

// The MCAP records a reader hands out. Timestamps are nanoseconds (the clip files use the Unix
// epoch); offsets are bytes from the start of the file unless a name says otherwise.

/// <summary>The first record of a file.</summary>
public sealed record McapHeader(string Profile, string Library);

/// <summary>How the messages of a channel are described; <see cref="Data"/> is e.g. a JSON Schema.</summary>
public sealed record McapSchema(ushort Id, string Name, string Encoding, ReadOnlyMemory<byte> Data);

/// <summary>A stream of messages on one topic.</summary>
public sealed record McapChannel(
    ushort Id,
    ushort SchemaId,
    string Topic,
    string MessageEncoding,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>One message; <see cref="Data"/> is a slice of the chunk it was read from.</summary>
public readonly record struct McapMessage(
    McapChannel Channel,
    uint Sequence,
    ulong LogTime,
    ulong PublishTime,
    ReadOnlyMemory<byte> Data);

/// <summary>Where a chunk and its message indexes are, and which times it covers.</summary>
public sealed record McapChunkIndex(
    ulong MessageStartTime,
    ulong MessageEndTime,
    ulong ChunkStartOffset,
    ulong ChunkLength,
    IReadOnlyDictionary<ushort, ulong> MessageIndexOffsets,
    ulong MessageIndexLength,
    string Compression,
    ulong CompressedSize,
    ulong UncompressedSize);

/// <summary>Counts over the whole file, from the summary.</summary>
public sealed record McapStatistics(
    ulong MessageCount,
    ushort SchemaCount,
    uint ChannelCount,
    uint AttachmentCount,
    uint MetadataCount,
    uint ChunkCount,
    ulong MessageStartTime,
    ulong MessageEndTime,
    IReadOnlyDictionary<ushort, ulong> ChannelMessageCounts);

/// <summary>A named string map in the data section.</summary>
public sealed record McapMetadata(string Name, IReadOnlyDictionary<string, string> Values);

/// <summary>Where a metadata record is.</summary>
public sealed record McapMetadataIndex(ulong Offset, ulong Length, string Name);

/// <summary>Where a group of summary records with one opcode is.</summary>
public sealed record McapSummaryOffset(McapOpcode GroupOpcode, ulong GroupStart, ulong GroupLength);

/// <summary>Everything the summary section says, read without touching the data section.</summary>
public sealed record McapSummary(
    McapHeader Header,
    IReadOnlyDictionary<ushort, McapSchema> Schemas,
    IReadOnlyDictionary<ushort, McapChannel> Channels,
    McapStatistics? Statistics,
    IReadOnlyList<McapChunkIndex> ChunkIndexes,
    IReadOnlyList<McapMetadataIndex> MetadataIndexes,
    IReadOnlyList<McapSummaryOffset> SummaryOffsets);

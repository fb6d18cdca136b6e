namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// Decodes record contents (the bytes after opcode and length). Fields a newer writer may append
/// are ignored, as the specification asks of readers.
/// </summary>
internal static class McapRecordParser
{
    public static McapHeader Header(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, offset, "header record");
        return new McapHeader(reader.ReadString(), reader.ReadString());
    }

    public static McapSchema Schema(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, offset, "schema record");
        var id = reader.ReadUInt16();
        if (id == 0)
        {
            throw McapErrors.At(offset, "schema record with id 0, which the specification forbids");
        }

        return new McapSchema(id, reader.ReadString(), reader.ReadString(), reader.ReadPrefixedBytes());
    }

    public static McapChannel Channel(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, offset, "channel record");
        return new McapChannel(reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadString(), reader.ReadString(), reader.ReadStringMap());
    }

    public static McapChunkIndex ChunkIndex(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, offset, "chunk index record");
        return new McapChunkIndex(
            MessageStartTime: reader.ReadUInt64(),
            MessageEndTime: reader.ReadUInt64(),
            ChunkStartOffset: reader.ReadUInt64(),
            ChunkLength: reader.ReadUInt64(),
            MessageIndexOffsets: reader.ReadUInt16UInt64Map(),
            MessageIndexLength: reader.ReadUInt64(),
            Compression: reader.ReadString(),
            CompressedSize: reader.ReadUInt64(),
            UncompressedSize: reader.ReadUInt64());
    }

    public static McapStatistics Statistics(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, offset, "statistics record");
        return new McapStatistics(
            MessageCount: reader.ReadUInt64(),
            SchemaCount: reader.ReadUInt16(),
            ChannelCount: reader.ReadUInt32(),
            AttachmentCount: reader.ReadUInt32(),
            MetadataCount: reader.ReadUInt32(),
            ChunkCount: reader.ReadUInt32(),
            MessageStartTime: reader.ReadUInt64(),
            MessageEndTime: reader.ReadUInt64(),
            ChannelMessageCounts: reader.ReadUInt16UInt64Map());
    }

    public static McapMetadata Metadata(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, offset, "metadata record");
        return new McapMetadata(reader.ReadString(), reader.ReadStringMap());
    }

    public static McapMetadataIndex MetadataIndex(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, offset, "metadata index record");
        return new McapMetadataIndex(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadString());
    }

    public static McapSummaryOffset SummaryOffset(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, offset, "summary offset record");
        return new McapSummaryOffset((McapOpcode)reader.ReadByte(), reader.ReadUInt64(), reader.ReadUInt64());
    }
}

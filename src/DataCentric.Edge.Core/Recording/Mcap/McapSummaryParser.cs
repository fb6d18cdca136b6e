using System.Buffers.Binary;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>Parses the summary and summary offset sections and checks that their indexes point inside the data section.</summary>
internal static class McapSummaryParser
{
    public static McapSummary Parse(
        McapHeader header,
        ReadOnlySpan<byte> summary,
        ReadOnlySpan<byte> summaryOffsets,
        long summaryStart,
        long headerEnd,
        long dataEndOffset)
    {
        var schemas = new Dictionary<ushort, McapSchema>();
        var channels = new Dictionary<ushort, McapChannel>();
        var chunkIndexes = new List<McapChunkIndex>();
        var metadataIndexes = new List<McapMetadataIndex>();
        var offsets = new List<McapSummaryOffset>();
        McapStatistics? statistics = null;

        foreach (var (opcode, offset, content) in Records(summary, summaryStart))
        {
            var contentSpan = summary.Slice(content.Start, content.Length);
            var contentOffset = summaryStart + content.Start;
            switch (opcode)
            {
                case McapOpcode.Schema:
                    var schema = McapRecordParser.Schema(contentSpan, contentOffset);
                    schemas[schema.Id] = schema;
                    break;
                case McapOpcode.Channel:
                    var channel = McapRecordParser.Channel(contentSpan, contentOffset);
                    if (channel.SchemaId != 0 && !schemas.ContainsKey(channel.SchemaId))
                    {
                        throw McapErrors.At(offset, $"channel {channel.Id} ('{channel.Topic}') refers to schema {channel.SchemaId}, which the summary does not hold");
                    }

                    channels[channel.Id] = channel;
                    break;
                case McapOpcode.ChunkIndex:
                    chunkIndexes.Add(CheckChunkIndex(McapRecordParser.ChunkIndex(contentSpan, contentOffset), offset, headerEnd, dataEndOffset));
                    break;
                case McapOpcode.MetadataIndex:
                    var metadataIndex = McapRecordParser.MetadataIndex(contentSpan, contentOffset);
                    if (metadataIndex.Offset < (ulong)headerEnd || metadataIndex.Length < McapFormat.RecordPrefixLength
                        || metadataIndex.Length > (ulong)dataEndOffset - metadataIndex.Offset)
                    {
                        throw McapErrors.At(offset, $"the index of metadata '{metadataIndex.Name}' points outside the data section ({metadataIndex.Offset}, {metadataIndex.Length} bytes)");
                    }

                    metadataIndexes.Add(metadataIndex);
                    break;
                case McapOpcode.Statistics:
                    statistics = McapRecordParser.Statistics(contentSpan, contentOffset);
                    break;
                case McapOpcode.AttachmentIndex:
                    break; // attachments are not used by clips
                default:
                    if ((byte)opcode < 0x80)
                    {
                        throw McapErrors.At(offset, $"record opcode 0x{(byte)opcode:x2} does not belong in the summary section");
                    }

                    break;
            }
        }

        var offsetsStart = summaryStart + summary.Length;
        foreach (var (opcode, offset, content) in Records(summaryOffsets, offsetsStart))
        {
            if (opcode != McapOpcode.SummaryOffset)
            {
                throw McapErrors.At(offset, $"expected summary offset records after the summary, found opcode 0x{(byte)opcode:x2}");
            }

            var summaryOffset = McapRecordParser.SummaryOffset(summaryOffsets.Slice(content.Start, content.Length), offsetsStart + content.Start);
            if (summaryOffset.GroupStart < (ulong)summaryStart || summaryOffset.GroupLength > (ulong)offsetsStart - summaryOffset.GroupStart)
            {
                throw McapErrors.At(offset, $"the summary offset for {summaryOffset.GroupOpcode} points outside the summary section");
            }

            offsets.Add(summaryOffset);
        }

        foreach (var index in chunkIndexes)
        {
            foreach (var channelId in index.MessageIndexOffsets.Keys)
            {
                if (!channels.ContainsKey(channelId))
                {
                    throw McapErrors.At((long)index.ChunkStartOffset, $"the chunk's index names channel {channelId}, which the summary does not hold");
                }
            }
        }

        return new McapSummary(header, schemas, channels, statistics, chunkIndexes, metadataIndexes, offsets);
    }

    private static McapChunkIndex CheckChunkIndex(McapChunkIndex index, long recordOffset, long headerEnd, long dataEndOffset)
    {
        var chunkEnd = index.ChunkStartOffset + index.ChunkLength;
        if (index.ChunkStartOffset < (ulong)headerEnd || index.ChunkLength > (ulong)dataEndOffset
            || chunkEnd > (ulong)dataEndOffset || index.MessageIndexLength > (ulong)dataEndOffset - chunkEnd)
        {
            throw McapErrors.At(recordOffset, $"the chunk index points outside the data section (chunk at {index.ChunkStartOffset}, {index.ChunkLength} bytes, {index.MessageIndexLength} bytes of message indexes; data ends at {dataEndOffset})");
        }

        foreach (var (channelId, offset) in index.MessageIndexOffsets)
        {
            if (offset < chunkEnd || offset >= chunkEnd + index.MessageIndexLength)
            {
                throw McapErrors.At(recordOffset, $"the chunk index puts channel {channelId}'s message index at {offset}, outside the message indexes after the chunk at {index.ChunkStartOffset}");
            }
        }

        return index;
    }

    /// <summary>Splits a section into (opcode, record offset, content range) triples, checking lengths.</summary>
    private static List<(McapOpcode Opcode, long Offset, (int Start, int Length) Content)> Records(ReadOnlySpan<byte> section, long sectionOffset)
    {
        var records = new List<(McapOpcode, long, (int, int))>();
        var position = 0;
        while (position < section.Length)
        {
            var offset = sectionOffset + position;
            if (section.Length - position < McapFormat.RecordPrefixLength)
            {
                throw McapErrors.At(offset, "a record's opcode and length are cut off by the end of the section");
            }

            var opcode = (McapOpcode)section[position];
            var length = BinaryPrimitives.ReadUInt64LittleEndian(section[(position + 1)..]);
            var start = position + McapFormat.RecordPrefixLength;
            if (length > (ulong)(section.Length - start))
            {
                throw McapErrors.At(offset, $"{opcode} record claims {length} bytes but its section has {section.Length - start} left");
            }

            records.Add((opcode, offset, (start, (int)length)));
            position = start + (int)length;
        }

        return records;
    }
}

using System.Buffers.Binary;
using System.IO.Hashing;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// Reads an indexed MCAP file through its summary: <see cref="Open"/> checks both magics, the
/// footer and the summary CRC and reads only the summary; <see cref="ReadMetadata"/> and
/// <see cref="ReadMessages"/> then seek to what they need, checking chunk CRCs and indexes.
/// Anything truncated or inconsistent throws <see cref="InvalidDataException"/> naming the byte offset.
/// </summary>
/// <remarks>The stream stays the caller's; one reader is not safe for concurrent use.</remarks>
public sealed class McapReader
{
    private readonly McapFile _file;

    private McapReader(McapFile file, McapSummary summary, long headerEnd, long dataEndOffset, uint dataSectionCrc)
    {
        _file = file;
        Summary = summary;
        HeaderEnd = headerEnd;
        DataEndOffset = dataEndOffset;
        DataSectionCrc = dataSectionCrc;
    }

    public McapSummary Summary { get; }

    /// <summary>Offset of the Data End record, i.e. the length of the data section including magic and header.</summary>
    public long DataEndOffset { get; }

    /// <summary>The data section CRC from the Data End record; 0 when the writer did not compute one.</summary>
    public uint DataSectionCrc { get; }

    internal long HeaderEnd { get; }

    internal McapFile File => _file;

    /// <summary>Checks the file's frame (magics, header, footer, data end) and reads the summary.</summary>
    public static McapReader Open(Stream source)
    {
        var file = new McapFile(source);
        var length = file.Length;
        if (length < McapFormat.MinimumFileLength)
        {
            throw McapErrors.At(length, $"the file ends after {length} bytes, shorter than the smallest indexed MCAP file ({McapFormat.MinimumFileLength} bytes); it is truncated or not MCAP");
        }

        CheckMagic(file.ReadAt(0, McapFormat.MagicLength, "leading magic"), 0, "does not start with the MCAP magic; it is not an MCAP file");
        var header = ReadHeader(file, out var headerEnd);

        var footerOffset = length - McapFormat.MagicLength - McapFormat.FooterRecordLength;
        var tail = file.ReadAt(footerOffset, McapFormat.FooterRecordLength + McapFormat.MagicLength, "footer");
        CheckMagic(tail.AsSpan(McapFormat.FooterRecordLength), length - McapFormat.MagicLength, $"the file ({length} bytes) does not end with the MCAP magic; it is truncated or was never finished");
        if (tail[0] != (byte)McapOpcode.Footer || BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(1)) != McapFormat.FooterContentLength)
        {
            throw McapErrors.At(footerOffset, "expected the footer record (opcode 0x02, 20 bytes) before the closing magic");
        }

        var summaryStart = BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(9));
        var summaryOffsetStart = BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(17));
        var summaryCrc = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(25));
        if (summaryStart == 0)
        {
            throw McapErrors.At(footerOffset, "the footer points to no summary section; this reader needs an indexed MCAP file");
        }

        if (summaryStart < (ulong)(headerEnd + McapFormat.DataEndRecordLength) || summaryStart > (ulong)footerOffset)
        {
            throw McapErrors.At(footerOffset, $"the footer's summary start {summaryStart} lies outside the file's summary area [{headerEnd + McapFormat.DataEndRecordLength}, {footerOffset}]");
        }

        var summaryEnd = footerOffset;
        if (summaryOffsetStart != 0)
        {
            if (summaryOffsetStart < summaryStart || summaryOffsetStart > (ulong)footerOffset)
            {
                throw McapErrors.At(footerOffset, $"the footer's summary offset start {summaryOffsetStart} lies outside [{summaryStart}, {footerOffset}]");
            }

            summaryEnd = (long)summaryOffsetStart;
        }

        // The Data End record sits right before the summary and closes the data section.
        var dataEndOffset = (long)summaryStart - McapFormat.DataEndRecordLength;
        var block = file.ReadAt(dataEndOffset, footerOffset - dataEndOffset, "data end and summary section");
        if (block[0] != (byte)McapOpcode.DataEnd || BinaryPrimitives.ReadUInt64LittleEndian(block.AsSpan(1)) != McapFormat.DataEndContentLength)
        {
            throw McapErrors.At(dataEndOffset, "expected the data end record (opcode 0x0F, 4 bytes) right before the summary section");
        }

        var dataSectionCrc = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(9));
        var summaryBytes = block.AsSpan(McapFormat.DataEndRecordLength);
        if (summaryCrc != 0)
        {
            var crc = new Crc32();
            crc.Append(summaryBytes);
            crc.Append(tail.AsSpan(0, McapFormat.FooterRecordLength - 4));
            var computed = crc.GetCurrentHashAsUInt32();
            if (computed != summaryCrc)
            {
                throw McapErrors.At((long)summaryStart, $"summary CRC mismatch: computed 0x{computed:x8}, the footer at {footerOffset} says 0x{summaryCrc:x8}");
            }
        }

        var summary = McapSummaryParser.Parse(
            header,
            summaryBytes[..(int)(summaryEnd - (long)summaryStart)],
            summaryBytes[(int)(summaryEnd - (long)summaryStart)..],
            (long)summaryStart,
            headerEnd,
            dataEndOffset);
        return new McapReader(file, summary, headerEnd, dataEndOffset, dataSectionCrc);
    }

    /// <summary>Reads every metadata record the summary indexes, in file order.</summary>
    public IReadOnlyList<McapMetadata> ReadMetadata()
    {
        var result = new List<McapMetadata>(Summary.MetadataIndexes.Count);
        foreach (var index in Summary.MetadataIndexes)
        {
            var offset = (long)index.Offset;
            var record = _file.ReadAt(offset, (long)index.Length, $"metadata record '{index.Name}'");
            var (opcode, contentLength) = (record[0], BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(1)));
            if (opcode != (byte)McapOpcode.Metadata || contentLength != index.Length - McapFormat.RecordPrefixLength)
            {
                throw McapErrors.At(offset, $"the metadata index for '{index.Name}' does not point at a metadata record of {index.Length} bytes");
            }

            var metadata = McapRecordParser.Metadata(record.AsSpan(McapFormat.RecordPrefixLength), offset + McapFormat.RecordPrefixLength);
            if (metadata.Name != index.Name)
            {
                throw McapErrors.At(offset, $"the metadata record is named '{metadata.Name}' but its index says '{index.Name}'");
            }

            result.Add(metadata);
        }

        return result;
    }

    /// <summary>
    /// Messages of the channels <paramref name="channelFilter"/> accepts (all when null) in
    /// log-time order; equal times keep file order. Chunks are found through the chunk indexes and
    /// messages through the message indexes; each chunk's CRC is checked when it is loaded.
    /// </summary>
    public IEnumerable<McapMessage> ReadMessages(Func<McapChannel, bool>? channelFilter = null)
    {
        var channels = new HashSet<ushort>();
        foreach (var channel in Summary.Channels.Values)
        {
            if (channelFilter is null || channelFilter(channel))
            {
                channels.Add(channel.Id);
            }
        }

        return new McapMessageMerger(this, channels).Read();
    }

    /// <summary>
    /// Walks the data section record by record (opcodes and lengths must tile it exactly) and checks
    /// the data section CRC from the Data End record. Costs one sequential read of the file.
    /// </summary>
    public void VerifyDataSection()
    {
        var offset = HeaderEnd;
        while (offset < DataEndOffset)
        {
            var (opcode, contentLength) = _file.ReadRecordPrefix(offset, "data section record");
            if (!IsDataSectionOpcode(opcode))
            {
                throw McapErrors.At(offset, $"record opcode 0x{(byte)opcode:x2} does not belong in the data section");
            }

            if (contentLength > (ulong)(DataEndOffset - offset - McapFormat.RecordPrefixLength))
            {
                throw McapErrors.At(offset, $"{opcode} record claims {contentLength} bytes, past the data end record at {DataEndOffset}");
            }

            offset += McapFormat.RecordPrefixLength + (long)contentLength;
        }

        if (DataSectionCrc == 0)
        {
            return;
        }

        var crc = new Crc32();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            for (long position = 0; position < DataEndOffset;)
            {
                var count = (int)Math.Min(buffer.Length, DataEndOffset - position);
                _file.ReadAt(position, buffer.AsSpan(0, count), "data section");
                crc.Append(buffer.AsSpan(0, count));
                position += count;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        var computed = crc.GetCurrentHashAsUInt32();
        if (computed != DataSectionCrc)
        {
            throw McapErrors.At(DataEndOffset, $"data section CRC mismatch: computed 0x{computed:x8}, the data end record says 0x{DataSectionCrc:x8}");
        }
    }

    private static bool IsDataSectionOpcode(McapOpcode opcode) =>
        opcode is McapOpcode.Schema or McapOpcode.Channel or McapOpcode.Message or McapOpcode.Attachment
            or McapOpcode.Chunk or McapOpcode.MessageIndex or McapOpcode.Metadata
        || (byte)opcode >= 0x80;

    private static void CheckMagic(ReadOnlySpan<byte> bytes, long offset, string what)
    {
        if (!bytes.SequenceEqual(McapFormat.Magic))
        {
            var version = bytes[..5].SequenceEqual(McapFormat.Magic[..5]) ? $" (major version byte 0x{bytes[5]:x2} is not supported)" : string.Empty;
            throw McapErrors.At(offset, what + version);
        }
    }

    private static McapHeader ReadHeader(McapFile file, out long headerEnd)
    {
        const long offset = McapFormat.MagicLength;
        var (opcode, contentLength) = file.ReadRecordPrefix(offset, "header record");
        if (opcode != McapOpcode.Header)
        {
            throw McapErrors.At(offset, $"expected the header record (opcode 0x01) after the magic, found opcode 0x{(byte)opcode:x2}");
        }

        var contentOffset = offset + McapFormat.RecordPrefixLength;
        if (contentLength > (ulong)(file.Length - contentOffset))
        {
            throw McapErrors.At(offset, $"the header record claims {contentLength} bytes, past the end of the file");
        }

        var content = file.ReadAt(contentOffset, (long)contentLength, "header record");
        headerEnd = contentOffset + (long)contentLength;
        return McapRecordParser.Header(content, contentOffset);
    }
}

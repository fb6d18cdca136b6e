using System.Buffers.Binary;
using System.IO.Hashing;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// Yields messages in log-time order across chunks that may overlap in time: chunks are loaded
/// in order of their start time, only as far as the earliest pending message needs, and their
/// messages merged through a priority queue keyed by (log time, chunk offset, offset in chunk).
/// </summary>
internal sealed class McapMessageMerger(McapReader reader, HashSet<ushort> channels)
{
    private readonly PriorityQueue<McapMessage, (ulong LogTime, ulong ChunkStart, int Offset)> _pending = new();

    public IEnumerable<McapMessage> Read()
    {
        var chunks = reader.Summary.ChunkIndexes
            .Where(index => index.MessageIndexOffsets.Count == 0 || index.MessageIndexOffsets.Keys.Any(channels.Contains))
            .OrderBy(index => index.MessageStartTime)
            .ThenBy(index => index.ChunkStartOffset)
            .ToList();

        var next = 0;
        while (true)
        {
            while (next < chunks.Count
                && (!_pending.TryPeek(out _, out var earliest) || chunks[next].MessageStartTime <= earliest.LogTime))
            {
                Load(chunks[next++]);
            }

            if (!_pending.TryDequeue(out var message, out _))
            {
                yield break;
            }

            yield return message;
        }
    }

    private void Load(McapChunkIndex index)
    {
        var chunkStart = (long)index.ChunkStartOffset;
        var (chunk, recordsStart, recordsLength) = ReadChunk(index);
        if (index.MessageIndexOffsets.Count == 0)
        {
            EnqueueByScanning(index, chunk, recordsStart, recordsLength);
            return;
        }

        var indexesStart = chunkStart + (long)index.ChunkLength;
        var indexes = reader.File.ReadAt(indexesStart, (long)index.MessageIndexLength, $"message indexes of the chunk at {chunkStart}");
        foreach (var (channelId, offset) in index.MessageIndexOffsets)
        {
            if (!channels.Contains(channelId))
            {
                continue;
            }

            var at = (int)((long)offset - indexesStart);
            var recordOffset = (long)offset;
            var entries = MessageIndexEntries(indexes.AsSpan(at), recordOffset, channelId);
            for (var i = 0; i < entries.Length; i += 16)
            {
                var logTime = BinaryPrimitives.ReadUInt64LittleEndian(entries[i..]);
                var messageOffset = BinaryPrimitives.ReadUInt64LittleEndian(entries[(i + 8)..]);
                if (messageOffset > (ulong)recordsLength)
                {
                    throw McapErrors.At(recordOffset, $"message index entry for channel {channelId} points at {messageOffset}, past the {recordsLength} bytes of records in the chunk at {chunkStart}");
                }

                var message = ParseMessage(chunk, recordsStart + (int)messageOffset, recordsStart + recordsLength, chunkStart);
                if (message.Channel.Id != channelId || message.LogTime != logTime)
                {
                    throw McapErrors.At(recordOffset, $"message index entry (channel {channelId}, log time {logTime}) does not match the message at offset {messageOffset} of the chunk at {chunkStart} (channel {message.Channel.Id}, log time {message.LogTime})");
                }

                _pending.Enqueue(message, (logTime, index.ChunkStartOffset, (int)messageOffset));
            }
        }
    }

    /// <summary>Returns the chunk record with its records located, after checking its header and CRC.</summary>
    private (byte[] Chunk, int RecordsStart, int RecordsLength) ReadChunk(McapChunkIndex index)
    {
        var chunkStart = (long)index.ChunkStartOffset;
        var chunk = reader.File.ReadAt(chunkStart, (long)index.ChunkLength, $"chunk at {chunkStart}");
        var header = new McapSpanReader(chunk, chunkStart, $"chunk at {chunkStart}");
        if (chunk.Length < McapFormat.RecordPrefixLength || (McapOpcode)header.ReadByte() != McapOpcode.Chunk)
        {
            throw McapErrors.At(chunkStart, "the chunk index does not point at a chunk record");
        }

        if (header.ReadUInt64() != (ulong)(chunk.Length - McapFormat.RecordPrefixLength))
        {
            throw McapErrors.At(chunkStart, $"the chunk record's length disagrees with its chunk index ({index.ChunkLength} bytes)");
        }

        var startTime = header.ReadUInt64();
        var endTime = header.ReadUInt64();
        var uncompressedSize = header.ReadUInt64();
        var crc = header.ReadUInt32();
        var compression = header.ReadString();
        var records = header.ReadLongPrefixedBytes();
        var recordsStart = header.Position - records.Length;
        if (compression.Length != 0)
        {
            throw McapErrors.At(chunkStart, $"chunk compression '{compression}' is not supported; this reader reads uncompressed chunks");
        }

        if (uncompressedSize != (ulong)records.Length || startTime != index.MessageStartTime || endTime != index.MessageEndTime)
        {
            throw McapErrors.At(chunkStart, "the chunk's size or time range disagrees with its chunk index");
        }

        if (crc != 0)
        {
            var computed = Crc32.HashToUInt32(records);
            if (computed != crc)
            {
                throw McapErrors.At(chunkStart, $"chunk CRC mismatch: computed 0x{computed:x8}, the chunk says 0x{crc:x8}; the chunk's records are corrupt");
            }
        }

        return (chunk, recordsStart, records.Length);
    }

    private static ReadOnlySpan<byte> MessageIndexEntries(ReadOnlySpan<byte> record, long recordOffset, ushort channelId)
    {
        var span = new McapSpanReader(record, recordOffset, "message index record");
        if ((McapOpcode)span.ReadByte() != McapOpcode.MessageIndex)
        {
            throw McapErrors.At(recordOffset, $"the chunk index points at no message index record for channel {channelId}");
        }

        var content = new McapSpanReader(span.ReadLongPrefixedBytes(), recordOffset + McapFormat.RecordPrefixLength, "message index record");
        if (content.ReadUInt16() != channelId)
        {
            throw McapErrors.At(recordOffset, $"the message index record is not for channel {channelId} as its chunk index says");
        }

        var length = content.ReadUInt32();
        if (length % 16 != 0 || length > (uint)content.Remaining)
        {
            throw McapErrors.At(recordOffset, $"the message index for channel {channelId} has a malformed entry array ({length} bytes)");
        }

        return content.ReadBytes((int)length);
    }

    /// <summary>A chunk without message indexes is read record by record.</summary>
    private void EnqueueByScanning(McapChunkIndex index, byte[] chunk, int recordsStart, int recordsLength)
    {
        var end = recordsStart + recordsLength;
        var position = recordsStart;
        while (position < end)
        {
            var fileOffset = (long)index.ChunkStartOffset + position;
            var prefix = new McapSpanReader(chunk.AsSpan(position, end - position), fileOffset, "record in chunk");
            var opcode = (McapOpcode)prefix.ReadByte();
            var length = prefix.ReadUInt64();
            if (length > (ulong)prefix.Remaining)
            {
                throw McapErrors.At(fileOffset, $"{opcode} record claims {length} bytes, past the end of its chunk");
            }

            if (opcode == McapOpcode.Message)
            {
                var message = ParseMessage(chunk, position, end, (long)index.ChunkStartOffset);
                if (channels.Contains(message.Channel.Id))
                {
                    _pending.Enqueue(message, (message.LogTime, index.ChunkStartOffset, position - recordsStart));
                }
            }

            position += McapFormat.RecordPrefixLength + (int)length;
        }
    }

    private McapMessage ParseMessage(byte[] chunk, int position, int recordsEnd, long chunkStart)
    {
        var fileOffset = chunkStart + position;
        var span = new McapSpanReader(chunk.AsSpan(position, recordsEnd - position), fileOffset, "message record");
        if ((McapOpcode)span.ReadByte() != McapOpcode.Message)
        {
            throw McapErrors.At(fileOffset, $"expected a message record in the chunk at {chunkStart}");
        }

        var length = span.ReadUInt64();
        if (length < McapFormat.MessageFixedLength || length > (ulong)span.Remaining)
        {
            throw McapErrors.At(fileOffset, $"message record length {length} does not fit the chunk at {chunkStart}");
        }

        var channelId = span.ReadUInt16();
        if (!reader.Summary.Channels.TryGetValue(channelId, out var channel))
        {
            throw McapErrors.At(fileOffset, $"message on channel {channelId}, which the summary does not hold");
        }

        var sequence = span.ReadUInt32();
        var logTime = span.ReadUInt64();
        var publishTime = span.ReadUInt64();
        var dataStart = position + McapFormat.RecordPrefixLength + McapFormat.MessageFixedLength;
        var dataLength = (int)length - McapFormat.MessageFixedLength;
        return new McapMessage(channel, sequence, logTime, publishTime, chunk.AsMemory(dataStart, dataLength));
    }
}

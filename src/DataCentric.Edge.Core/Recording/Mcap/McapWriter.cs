using System.IO.Hashing;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// Writes an indexed MCAP file front to back: magic, header, chunks of schema/channel/message
/// records each followed by its message indexes, metadata, data end, summary (schemas, channels,
/// statistics, chunk and metadata indexes), summary offsets, footer and magic. Every CRC the
/// specification defines is written. The stream is only appended to (no seeking), so a caller
/// can write to a temp file and rename it, and it is never disposed here.
/// </summary>
/// <remarks>Not thread-safe. Call <see cref="Finish"/>; a writer disposed before that leaves a file
/// without footer, which readers reject.</remarks>
public sealed class McapWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly int _chunkThresholdBytes;
    private readonly Crc32 _dataCrc = new();
    private readonly McapBuffer _chunk = new(64 * 1024);
    private readonly McapBuffer _scratch = new();
    private readonly List<McapSchema> _schemas = [];
    private readonly List<ChannelState> _channels = [];
    private readonly List<ChannelState> _channelsInChunk = [];
    private readonly List<McapChunkIndex> _chunkIndexes = [];
    private readonly List<McapMetadataIndex> _metadataIndexes = [];
    private long _position;
    private ulong _chunkStartTime;
    private ulong _chunkEndTime;
    private int _chunkMessageCount;
    private ulong _messageCount;
    private ulong _messageStartTime;
    private ulong _messageEndTime;
    private bool _finished;
    private bool _disposed;

    /// <summary>Starts the file: writes the leading magic and the header.</summary>
    public McapWriter(Stream destination, McapWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The MCAP destination stream must be writable.", nameof(destination));
        }

        options ??= new McapWriterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChunkThresholdBytes, 1, nameof(options));
        _stream = destination;
        _chunkThresholdBytes = options.ChunkThresholdBytes;

        _scratch.WriteBytes(McapFormat.Magic);
        var header = _scratch.BeginRecord(McapOpcode.Header);
        _scratch.WriteString(options.Profile);
        _scratch.WriteString(options.Library);
        _scratch.EndRecord(header);
        WriteData(_scratch.WrittenSpan);
    }

    /// <summary>Bytes written to the stream so far.</summary>
    public long Position => _position;

    /// <summary>Registers a schema; it is written into the current chunk and into the summary.</summary>
    /// <returns>The schema id (never 0) to pass to <see cref="AddChannel"/>.</returns>
    public ushort AddSchema(string name, string encoding, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(encoding);
        ThrowIfDone();
        if (_schemas.Count == ushort.MaxValue)
        {
            throw new InvalidOperationException("An MCAP file holds at most 65535 schemas.");
        }

        var schema = new McapSchema((ushort)(_schemas.Count + 1), name, encoding, data.ToArray());
        _schemas.Add(schema);
        WriteSchemaRecord(_chunk, schema);
        return schema.Id;
    }

    /// <summary>Registers a channel; it is written into the current chunk and into the summary.</summary>
    /// <param name="schemaId">An id from <see cref="AddSchema"/>, or 0 for none.</param>
    /// <returns>The channel id to pass to <see cref="WriteMessage"/>.</returns>
    public ushort AddChannel(ushort schemaId, string topic, string messageEncoding, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(messageEncoding);
        ThrowIfDone();
        if (schemaId > _schemas.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(schemaId), schemaId, "No schema with this id was added.");
        }

        if (_channels.Count > ushort.MaxValue)
        {
            throw new InvalidOperationException("An MCAP file holds at most 65536 channels.");
        }

        var channel = new McapChannel(
            (ushort)_channels.Count,
            schemaId,
            topic,
            messageEncoding,
            metadata is null ? new Dictionary<string, string>() : new Dictionary<string, string>(metadata));
        _channels.Add(new ChannelState(channel));
        WriteChannelRecord(_chunk, channel);
        return channel.Id;
    }

    /// <summary>Appends a message to the current chunk, closing the chunk once it is full.</summary>
    /// <param name="logTime">Nanoseconds; Foxglove expects the Unix epoch.</param>
    public void WriteMessage(ushort channelId, uint sequence, ulong logTime, ulong publishTime, ReadOnlySpan<byte> data)
    {
        ThrowIfDone();
        if (channelId >= _channels.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(channelId), channelId, "No channel with this id was added.");
        }

        var channel = _channels[channelId];
        if (!channel.InChunk)
        {
            channel.InChunk = true;
            _channelsInChunk.Add(channel);
        }

        // Message index offsets count from the start of the chunk's records.
        channel.IndexEntries.Add((logTime, (ulong)_chunk.Length));
        channel.MessageCount++;

        var record = _chunk.BeginRecord(McapOpcode.Message);
        _chunk.WriteUInt16(channelId);
        _chunk.WriteUInt32(sequence);
        _chunk.WriteUInt64(logTime);
        _chunk.WriteUInt64(publishTime);
        _chunk.WriteBytes(data);
        _chunk.EndRecord(record);

        _chunkStartTime = _chunkMessageCount == 0 ? logTime : Math.Min(_chunkStartTime, logTime);
        _chunkEndTime = _chunkMessageCount == 0 ? logTime : Math.Max(_chunkEndTime, logTime);
        _chunkMessageCount++;

        if (_chunk.Length >= _chunkThresholdBytes)
        {
            FlushChunk();
        }
    }

    /// <summary>Writes a metadata record into the data section and indexes it in the summary.</summary>
    public void WriteMetadata(string name, IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        ThrowIfDone();

        _scratch.Reset();
        var record = _scratch.BeginRecord(McapOpcode.Metadata);
        _scratch.WriteString(name);
        _scratch.WriteStringMap(values);
        _scratch.EndRecord(record);
        _metadataIndexes.Add(new McapMetadataIndex((ulong)_position, (ulong)_scratch.Length, name));
        WriteData(_scratch.WrittenSpan);
    }

    /// <summary>Closes the last chunk and writes data end, summary, summary offsets, footer and magic.</summary>
    public void Finish()
    {
        ThrowIfDone();
        FlushChunk();

        _scratch.Reset();
        var dataEnd = _scratch.BeginRecord(McapOpcode.DataEnd);
        _scratch.WriteUInt32(_dataCrc.GetCurrentHashAsUInt32());
        _scratch.EndRecord(dataEnd);
        Write(_scratch.WrittenSpan);

        var summaryStart = _position;
        _scratch.Reset();
        var groups = new List<McapSummaryOffset>();
        WriteGroup(groups, summaryStart, McapOpcode.Schema, _schemas, WriteSchemaRecord);
        WriteGroup(groups, summaryStart, McapOpcode.Channel, _channels, (buffer, state) => WriteChannelRecord(buffer, state.Channel));
        WriteGroup(groups, summaryStart, McapOpcode.Statistics, [this], (buffer, writer) => writer.WriteStatisticsRecord(buffer));
        WriteGroup(groups, summaryStart, McapOpcode.ChunkIndex, _chunkIndexes, WriteChunkIndexRecord);
        WriteGroup(groups, summaryStart, McapOpcode.MetadataIndex, _metadataIndexes, WriteMetadataIndexRecord);

        var summaryOffsetStart = summaryStart + _scratch.Length;
        foreach (var group in groups)
        {
            var record = _scratch.BeginRecord(McapOpcode.SummaryOffset);
            _scratch.WriteByte((byte)group.GroupOpcode);
            _scratch.WriteUInt64(group.GroupStart);
            _scratch.WriteUInt64(group.GroupLength);
            _scratch.EndRecord(record);
        }

        // The summary CRC runs from the summary start through the footer's summary_offset_start.
        // The footer's length is fixed, so it is written up front rather than patched after the CRC.
        _scratch.WriteByte((byte)McapOpcode.Footer);
        _scratch.WriteUInt64(McapFormat.FooterContentLength);
        _scratch.WriteUInt64((ulong)summaryStart);
        _scratch.WriteUInt64((ulong)summaryOffsetStart);
        _scratch.WriteUInt32(Crc32.HashToUInt32(_scratch.WrittenSpan));
        _scratch.WriteBytes(McapFormat.Magic);
        Write(_scratch.WrittenSpan);
        _stream.Flush();
        _finished = true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _chunk.Dispose();
        _scratch.Dispose();
    }

    private void FlushChunk()
    {
        if (_chunk.Length == 0)
        {
            return;
        }

        var records = _chunk.WrittenSpan;
        var chunkStart = _position;
        var startTime = _chunkMessageCount == 0 ? 0 : _chunkStartTime;
        var endTime = _chunkMessageCount == 0 ? 0 : _chunkEndTime;

        _scratch.Reset();
        _scratch.WriteByte((byte)McapOpcode.Chunk);
        _scratch.WriteUInt64((ulong)(8 + 8 + 8 + 4 + 4 + 8 + records.Length));
        _scratch.WriteUInt64(startTime);
        _scratch.WriteUInt64(endTime);
        _scratch.WriteUInt64((ulong)records.Length);
        _scratch.WriteUInt32(Crc32.HashToUInt32(records));
        _scratch.WriteString(string.Empty); // compression: none
        _scratch.WriteUInt64((ulong)records.Length);
        WriteData(_scratch.WrittenSpan);
        WriteData(records);
        var chunkLength = _position - chunkStart;

        _scratch.Reset();
        var indexOffsets = new Dictionary<ushort, ulong>(_channelsInChunk.Count);
        foreach (var channel in _channelsInChunk)
        {
            indexOffsets[channel.Channel.Id] = (ulong)(_position + _scratch.Length);
            var record = _scratch.BeginRecord(McapOpcode.MessageIndex);
            _scratch.WriteUInt16(channel.Channel.Id);
            _scratch.WriteUInt32((uint)(channel.IndexEntries.Count * 16));
            foreach (var (logTime, offset) in channel.IndexEntries)
            {
                _scratch.WriteUInt64(logTime);
                _scratch.WriteUInt64(offset);
            }

            _scratch.EndRecord(record);
            channel.IndexEntries.Clear();
            channel.InChunk = false;
        }

        WriteData(_scratch.WrittenSpan);
        _chunkIndexes.Add(new McapChunkIndex(
            startTime,
            endTime,
            (ulong)chunkStart,
            (ulong)chunkLength,
            indexOffsets,
            (ulong)_scratch.Length,
            string.Empty,
            (ulong)records.Length,
            (ulong)records.Length));

        if (_chunkMessageCount > 0)
        {
            _messageStartTime = _messageCount == 0 ? startTime : Math.Min(_messageStartTime, startTime);
            _messageEndTime = _messageCount == 0 ? endTime : Math.Max(_messageEndTime, endTime);
            _messageCount += (ulong)_chunkMessageCount;
        }

        _channelsInChunk.Clear();
        _chunk.Reset();
        _chunkMessageCount = 0;
    }

    private void WriteGroup<T>(List<McapSummaryOffset> groups, long summaryStart, McapOpcode opcode, IReadOnlyList<T> items, Action<McapBuffer, T> write)
    {
        if (items.Count == 0)
        {
            return;
        }

        var groupStart = _scratch.Length;
        foreach (var item in items)
        {
            write(_scratch, item);
        }

        groups.Add(new McapSummaryOffset(opcode, (ulong)(summaryStart + groupStart), (ulong)(_scratch.Length - groupStart)));
    }

    private static void WriteSchemaRecord(McapBuffer buffer, McapSchema schema)
    {
        var record = buffer.BeginRecord(McapOpcode.Schema);
        buffer.WriteUInt16(schema.Id);
        buffer.WriteString(schema.Name);
        buffer.WriteString(schema.Encoding);
        buffer.WritePrefixedBytes(schema.Data.Span);
        buffer.EndRecord(record);
    }

    private static void WriteChannelRecord(McapBuffer buffer, McapChannel channel)
    {
        var record = buffer.BeginRecord(McapOpcode.Channel);
        buffer.WriteUInt16(channel.Id);
        buffer.WriteUInt16(channel.SchemaId);
        buffer.WriteString(channel.Topic);
        buffer.WriteString(channel.MessageEncoding);
        buffer.WriteStringMap(channel.Metadata);
        buffer.EndRecord(record);
    }

    private void WriteStatisticsRecord(McapBuffer buffer)
    {
        var record = buffer.BeginRecord(McapOpcode.Statistics);
        buffer.WriteUInt64(_messageCount);
        buffer.WriteUInt16((ushort)_schemas.Count);
        buffer.WriteUInt32((uint)_channels.Count);
        buffer.WriteUInt32(0); // attachments
        buffer.WriteUInt32((uint)_metadataIndexes.Count);
        buffer.WriteUInt32((uint)_chunkIndexes.Count);
        buffer.WriteUInt64(_messageStartTime);
        buffer.WriteUInt64(_messageEndTime);
        var counts = buffer.ReserveUInt32();
        foreach (var channel in _channels)
        {
            buffer.WriteUInt16(channel.Channel.Id);
            buffer.WriteUInt64(channel.MessageCount);
        }

        buffer.PatchLengthSince(counts);
        buffer.EndRecord(record);
    }

    private static void WriteChunkIndexRecord(McapBuffer buffer, McapChunkIndex index)
    {
        var record = buffer.BeginRecord(McapOpcode.ChunkIndex);
        buffer.WriteUInt64(index.MessageStartTime);
        buffer.WriteUInt64(index.MessageEndTime);
        buffer.WriteUInt64(index.ChunkStartOffset);
        buffer.WriteUInt64(index.ChunkLength);
        var offsets = buffer.ReserveUInt32();
        foreach (var (channelId, offset) in index.MessageIndexOffsets)
        {
            buffer.WriteUInt16(channelId);
            buffer.WriteUInt64(offset);
        }

        buffer.PatchLengthSince(offsets);
        buffer.WriteUInt64(index.MessageIndexLength);
        buffer.WriteString(index.Compression);
        buffer.WriteUInt64(index.CompressedSize);
        buffer.WriteUInt64(index.UncompressedSize);
        buffer.EndRecord(record);
    }

    private static void WriteMetadataIndexRecord(McapBuffer buffer, McapMetadataIndex index)
    {
        var record = buffer.BeginRecord(McapOpcode.MetadataIndex);
        buffer.WriteUInt64(index.Offset);
        buffer.WriteUInt64(index.Length);
        buffer.WriteString(index.Name);
        buffer.EndRecord(record);
    }

    /// <summary>Writes bytes that belong to the data section, so they count in its CRC.</summary>
    private void WriteData(ReadOnlySpan<byte> bytes)
    {
        _dataCrc.Append(bytes);
        Write(bytes);
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        _position += bytes.Length;
    }

    private void ThrowIfDone()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished)
        {
            throw new InvalidOperationException("The MCAP file is already finished.");
        }
    }

    private sealed class ChannelState(McapChannel channel)
    {
        public McapChannel Channel { get; } = channel;

        public ulong MessageCount { get; set; }

        public bool InChunk { get; set; }

        /// <summary>(log_time, offset in chunk records) of this channel's messages in the open chunk.</summary>
        public List<(ulong LogTime, ulong Offset)> IndexEntries { get; } = [];
    }
}

using System.Buffers.Binary;
using System.Text;
using DataCentric.Edge.Core.Recording.Mcap;

namespace DataCentric.Edge.Core.Tests.Recording.Mcap;

/// <summary>The low-level writer and reader: layout, indexes, order, statistics.</summary>
[Trait("Category", "Unit")]
public sealed class McapWriterReaderTests
{
    private sealed record Written(ushort Channel, uint Sequence, ulong LogTime, byte[] Data);

    [Fact]
    public void ReadMessages_ReturnsEveryMessageInLogTimeOrder_AcrossOverlappingChunks()
    {
        var (file, written) = WriteShuffled(seed: 5, messageCount: 500, chunkThresholdBytes: 1_000);
        var reader = McapReader.Open(new MemoryStream(file));

        var read = reader.ReadMessages().Select(m => new Written(m.Channel.Id, m.Sequence, m.LogTime, m.Data.ToArray())).ToList();

        Assert.True(reader.Summary.ChunkIndexes.Count > 10, "the test needs many chunks");
        Assert.Contains(reader.Summary.ChunkIndexes, a => reader.Summary.ChunkIndexes.Any(b => a != b && a.MessageStartTime < b.MessageEndTime && b.MessageStartTime < a.MessageEndTime));
        Assert.Equal(read.Select(m => m.LogTime).Order(), read.Select(m => m.LogTime));
        Assert.Equal(
            written.OrderBy(m => m.Channel).ThenBy(m => m.Sequence).Select(Describe),
            read.OrderBy(m => m.Channel).ThenBy(m => m.Sequence).Select(Describe));
    }

    [Fact]
    public void ReadMessages_WithChannelFilter_ReturnsOnlyThatChannel()
    {
        var (file, written) = WriteShuffled(seed: 6, messageCount: 200, chunkThresholdBytes: 2_000);
        var reader = McapReader.Open(new MemoryStream(file));

        var read = reader.ReadMessages(c => c.Topic == "/b").ToList();

        Assert.Equal(written.Count(m => m.Channel == 1), read.Count);
        Assert.All(read, m => Assert.Equal("/b", m.Channel.Topic));
    }

    [Fact]
    public void ChunkAndMessageIndexes_PointAtTheRecordsTheyDescribe()
    {
        var (file, written) = WriteShuffled(seed: 7, messageCount: 300, chunkThresholdBytes: 1_500);
        var summary = McapReader.Open(new MemoryStream(file)).Summary;

        var indexed = 0;
        foreach (var chunk in summary.ChunkIndexes)
        {
            var chunkStart = (int)chunk.ChunkStartOffset;
            Assert.Equal((byte)McapOpcode.Chunk, file[chunkStart]);
            Assert.Equal(chunk.ChunkLength - 9, ReadUInt64(file, chunkStart + 1));
            var recordsStart = chunkStart + 9 + 8 + 8 + 8 + 4 + 4 + 8;
            Assert.Equal(chunk.UncompressedSize, ReadUInt64(file, recordsStart - 8));

            var indexBytes = 0UL;
            foreach (var (channelId, offset) in chunk.MessageIndexOffsets)
            {
                var at = (int)offset;
                Assert.Equal((byte)McapOpcode.MessageIndex, file[at]);
                var length = ReadUInt64(file, at + 1);
                indexBytes += 9 + length;
                Assert.Equal(channelId, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 9)));
                var entries = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 11));
                for (var e = 0; e < entries; e += 16)
                {
                    var logTime = ReadUInt64(file, at + 15 + e);
                    var message = recordsStart + (int)ReadUInt64(file, at + 15 + e + 8);
                    Assert.Equal((byte)McapOpcode.Message, file[message]);
                    Assert.Equal(channelId, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(message + 9)));
                    Assert.Equal(logTime, ReadUInt64(file, message + 9 + 2 + 4));
                    Assert.InRange(logTime, chunk.MessageStartTime, chunk.MessageEndTime);
                    indexed++;
                }
            }

            Assert.Equal(chunk.MessageIndexLength, indexBytes);
        }

        Assert.Equal(written.Count, indexed);
        var statistics = summary.Statistics!;
        Assert.Equal((ulong)written.Count, statistics.MessageCount);
        Assert.Equal((uint)summary.ChunkIndexes.Count, statistics.ChunkCount);
        Assert.Equal(written.Min(m => m.LogTime), statistics.MessageStartTime);
        Assert.Equal(written.Max(m => m.LogTime), statistics.MessageEndTime);
        Assert.Equal(
            written.CountBy(m => m.Channel).OrderBy(p => p.Key).Select(p => (p.Key, (ulong)p.Value)),
            statistics.ChannelMessageCounts.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void SummaryOffsets_PointAtGroupsOfOneOpcode()
    {
        var (file, _) = WriteShuffled(seed: 8, messageCount: 50, chunkThresholdBytes: 500);
        var summary = McapReader.Open(new MemoryStream(file)).Summary;

        Assert.Equal(
            [McapOpcode.Schema, McapOpcode.Channel, McapOpcode.Statistics, McapOpcode.ChunkIndex, McapOpcode.MetadataIndex],
            summary.SummaryOffsets.Select(o => o.GroupOpcode));
        foreach (var group in summary.SummaryOffsets)
        {
            var position = (long)group.GroupStart;
            var end = position + (long)group.GroupLength;
            while (position < end)
            {
                Assert.Equal((byte)group.GroupOpcode, file[position]);
                position += 9 + (long)ReadUInt64(file, (int)position + 1);
            }

            Assert.Equal(end, position);
        }
    }

    [Fact]
    public void Metadata_IsWrittenInTheDataSection_AndReadThroughItsIndex()
    {
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream))
        {
            writer.WriteMetadata("first", new Dictionary<string, string> { ["a"] = "1", ["ü"] = "ß" });
            writer.WriteMetadata("second", new Dictionary<string, string>());
            writer.Finish();
        }

        var reader = McapReader.Open(new MemoryStream(stream.ToArray()));
        var metadata = reader.ReadMetadata();

        Assert.Equal(["first", "second"], reader.Summary.MetadataIndexes.Select(i => i.Name));
        Assert.All(reader.Summary.MetadataIndexes, i => Assert.InRange((long)i.Offset, 8, reader.DataEndOffset - 1));
        Assert.Equal(["first", "second"], metadata.Select(m => m.Name));
        Assert.Equal("ß", metadata[0].Values["ü"]);
        Assert.Empty(metadata[1].Values);
        Assert.Empty(reader.ReadMessages());
        reader.VerifyDataSection();
    }

    [Fact]
    public void Writer_OnlyAppends_SoANonSeekableStreamWorks()
    {
        using var inner = new MemoryStream();
        using var appendOnly = new AppendOnlyStream(inner);

        new McapClipWriter(new McapWriterOptions { ChunkThresholdBytes = 4_096 }).Write(McapTestClips.Create(frameCount: 20, seed: 9), appendOnly);

        var restored = McapTestClips.Read(inner.ToArray());
        McapTestClips.AssertSameContent(McapTestClips.Create(frameCount: 20, seed: 9), restored);
    }

    [Fact]
    public void Header_CarriesProfileAndLibrary()
    {
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, new McapWriterOptions { Profile = "x-datacentric", Library = "test-lib" }))
        {
            writer.Finish();
        }

        var header = McapReader.Open(new MemoryStream(stream.ToArray())).Summary.Header;

        Assert.Equal(new McapHeader("x-datacentric", "test-lib"), header);
    }

    [Fact]
    public void WriteMessage_AllocatesNothingPerMessage_OnceBuffersHaveGrown()
    {
        const int MessagesPerChunk = 1_000;
        var payload = new byte[100];
        using var writer = new McapWriter(Stream.Null, new McapWriterOptions { ChunkThresholdBytes = MessagesPerChunk * (9 + 22 + payload.Length) });
        var schema = writer.AddSchema("s", "jsonschema", "{}"u8);
        var channel = writer.AddChannel(schema, "/t", "json");
        ulong time = 0;
        void WriteChunk()
        {
            for (var i = 0; i < MessagesPerChunk; i++)
            {
                writer.WriteMessage(channel, (uint)i, ++time, time, payload);
            }
        }

        WriteChunk(); // grows the chunk buffer and the index list once
        var before = GC.GetAllocatedBytesForCurrentThread();
        WriteChunk();
        WriteChunk();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Two chunk flushes allocate a chunk index each; one byte per message would already be 2,000.
        Assert.True(allocated < 2 * MessagesPerChunk, $"{allocated} bytes allocated for {2 * MessagesPerChunk} messages");
    }

    private static (byte[] File, List<Written> Written) WriteShuffled(int seed, int messageCount, int chunkThresholdBytes)
    {
        // Three channels whose log times jump back and forth, so chunks overlap in time.
        var random = new Random(seed);
        var written = new List<Written>();
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, new McapWriterOptions { ChunkThresholdBytes = chunkThresholdBytes }))
        {
            var schema = writer.AddSchema("test.Blob", "jsonschema", "{\"type\":\"object\"}"u8);
            ushort[] channels = [writer.AddChannel(schema, "/a", "json"), writer.AddChannel(schema, "/b", "json"), writer.AddChannel(0, "/c", "raw")];
            var sequences = new uint[channels.Length];
            for (var i = 0; i < messageCount; i++)
            {
                var channel = channels[random.Next(channels.Length)];
                var logTime = 1_700_000_000_000_000_000UL + (ulong)(i * 1_000) + (ulong)random.Next(0, 200_000);
                var data = Encoding.UTF8.GetBytes($"{{\"i\":{i}}}" + new string('x', random.Next(0, 50)));
                var message = new Written(channel, sequences[channel]++, logTime, data);
                writer.WriteMessage(message.Channel, message.Sequence, message.LogTime, message.LogTime + 5, message.Data);
                written.Add(message);
            }

            writer.WriteMetadata("m", new Dictionary<string, string> { ["k"] = "v" });
            writer.Finish();
        }

        return (stream.ToArray(), written);
    }

    private static string Describe(Written m) => $"{m.Channel}/{m.Sequence}@{m.LogTime}:{Convert.ToHexString(m.Data)}";

    private static ulong ReadUInt64(byte[] file, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(offset));

    /// <summary>Refuses seeking and position changes, as a pipe or socket would.</summary>
    private sealed class AppendOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}

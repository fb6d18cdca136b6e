using System.Text.Json;
using DataCentric.Edge.Core.Recording.Mcap;

namespace DataCentric.Edge.Core.Tests.Recording.Mcap;

/// <summary>Files from <see cref="McapClipWriter"/> as Foxglove's own reader sees them.</summary>
[Trait("Category", "Integration")]
public sealed class McapCheckIntegrationTests(McapCheckFixture check) : IClassFixture<McapCheckFixture>
{
    [Fact]
    public void ReferenceReader_ReadsClip_WithExpectedTopicsSchemasAndMetadata()
    {
        var clip = McapTestClips.Create(frameCount: 60, seed: 11, frameBytes: 4_000);
        var file = WriteFile(clip, new McapWriterOptions { ChunkThresholdBytes = 32 * 1024 });

        var report = check.Check(file);

        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
        var expectedTopics = clip.Frames.Select(f => McapClipFormat.CameraTopicFor(f.FrameId))
            .Concat(clip.Signals.Select(s => McapClipFormat.SignalTopicFor(s.Name)))
            .Concat(clip.Events.Select(_ => McapClipFormat.EventsTopic))
            .Concat(clip.Signals.Where(s => s.Name == "shadow.boxes").Select(_ => McapClipFormat.AnnotationsTopicFor("camera", "shadow.boxes")))
            .CountBy(topic => topic)
            .ToDictionary();
        var topics = report.GetProperty("topics").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(expectedTopics.OrderBy(p => p.Key, StringComparer.Ordinal), topics.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expectedTopics.Values.Sum(), report.GetProperty("messageCount").GetInt32());
        Assert.Equal(report.GetProperty("messageCount").GetInt32(), report.GetProperty("statisticsMessageCount").GetInt32());

        string[] expectedSchemas =
        [
            "datacentric.edge.BoolSignal",
            "datacentric.edge.DetectionsSignal",
            "datacentric.edge.NumberSignal",
            "datacentric.edge.TextSignal",
            "datacentric.edge.TriggerEvent",
            "datacentric.edge.VectorSignal",
            "foxglove.CompressedImage",
            "foxglove.ImageAnnotations",
        ];
        Assert.Equal(expectedSchemas, Strings(report.GetProperty("schemas")));
        Assert.All(report.GetProperty("channels").EnumerateArray(), channel =>
        {
            Assert.Equal("jsonschema", channel.GetProperty("schemaEncoding").GetString());
            Assert.Equal("json", channel.GetProperty("messageEncoding").GetString());
        });
        Assert.Equal(["clip.info", "clip", "trigger_event", "trigger_event"], Strings(report.GetProperty("metadata")));
        Assert.True(report.GetProperty("chunkCount").GetInt32() > 1, "the clip should span several chunks");
        Assert.True(report.GetProperty("dataSectionCrcChecked").GetBoolean());
    }

    [Fact]
    public void ReferenceReader_ReadsEmptyClip()
    {
        var file = WriteFile(McapTestClips.Empty());

        var report = check.Check(file);

        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
        Assert.Equal(0, report.GetProperty("messageCount").GetInt32());
        Assert.Equal(["clip.info", "clip"], Strings(report.GetProperty("metadata")));
    }

    [Fact]
    public void ReferenceReader_RejectsClipWithCorruptChunk()
    {
        var bytes = McapTestClips.Write(McapTestClips.Create(frameCount: 10, seed: 12));
        var reader = McapReader.Open(new MemoryStream(bytes));
        var chunk = reader.Summary.ChunkIndexes[0];
        bytes[(int)(chunk.ChunkStartOffset + chunk.ChunkLength) - 10] ^= 0x40;
        var file = Path.Combine(check.TempDirectory, "corrupt.mcap");
        File.WriteAllBytes(file, bytes);

        var report = check.Check(file);

        Assert.False(report.GetProperty("ok").GetBoolean(), report.ToString());
        Assert.Contains("CRC", report.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private string WriteFile(DataCentric.Edge.Core.Contracts.ClipContent clip, McapWriterOptions? options = null)
    {
        var file = Path.Combine(check.TempDirectory, clip.ClipId + ".mcap");
        using (var stream = File.Create(file))
        {
            new McapClipWriter(options).Write(clip, stream);
        }

        return file;
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}

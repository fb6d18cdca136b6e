using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using Json.Schema;

namespace DataCentric.Edge.Core.Tests.Recording.Mcap;

/// <summary>
/// The shadow boxes drawn for Foxglove: a <c>foxglove.ImageAnnotations</c> channel beside the camera,
/// valid MCAP for Foxglove's reference reader, each message valid against the schema in the file and
/// drawing exactly the boxes of the detections signal, in the camera's pixels.
/// </summary>
[Trait("Category", "Integration")]
public sealed class McapImageAnnotationsTests(McapCheckFixture check) : IClassFixture<McapCheckFixture>
{
    [Fact]
    public void BoxesChannel_IsValidMcap_LinkedToTheCamera_AndDrawsTheSignalsBoxes()
    {
        var clip = McapTestClips.Create(frameCount: 40, seed: 21, frameBytes: 3_000);
        var file = Path.Combine(check.TempDirectory, "annotated.mcap");
        File.WriteAllBytes(file, McapTestClips.Write(clip, new McapWriterOptions { ChunkThresholdBytes = 16 * 1024 }));

        var report = check.Check(file);

        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
        var topic = McapClipFormat.AnnotationsTopicFor("camera", "shadow.boxes");
        var listed = Assert.Single(report.GetProperty("channels").EnumerateArray(), c => c.GetProperty("topic").GetString() == topic);
        Assert.Equal("foxglove.ImageAnnotations", listed.GetProperty("schema").GetString());

        using var stream = File.OpenRead(file);
        var mcap = McapReader.Open(stream);
        var channel = Assert.Single(mcap.Summary.Channels.Values, c => c.Topic == topic);
        Assert.Equal("camera", channel.Metadata[McapClipFormat.AnnotationsFrameIdKey]);
        Assert.Equal(McapClipFormat.CameraTopic, channel.Metadata[McapClipFormat.AnnotationsCameraTopicKey]);
        Assert.Equal("shadow.boxes", channel.Metadata[McapClipFormat.AnnotationsSignalKey]);
        var schema = JsonSchema.FromText(System.Text.Encoding.UTF8.GetString(mcap.Summary.Schemas[channel.SchemaId].Data.Span));

        var boxes = clip.Signals.Where(s => s.Name == "shadow.boxes").OrderBy(s => s.Sample.Time).ToList();
        var messages = mcap.ReadMessages(c => c.Id == channel.Id).ToList();
        Assert.Equal(boxes.Count, messages.Count);
        Assert.Contains(boxes, b => b.Sample.Value.AsDetections.Count > 0);
        var start = clip.Start;
        for (var i = 0; i < boxes.Count; i++)
        {
            using var json = JsonDocument.Parse(messages[i].Data);
            var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, json.RootElement.ToString());
            var logTime = (ulong)((McapTestClips.WallClockStart - DateTimeOffset.UnixEpoch).Ticks + (boxes[i].Sample.Time - start).Ticks) * 100;
            Assert.Equal(logTime, messages[i].LogTime);
            AssertDraws(boxes[i].Sample.Value.AsDetections, json.RootElement, 640, 480, logTime);
        }
    }

    [Fact]
    public void ClipWithoutCameraOrWithoutBoxes_HasNoAnnotationsChannel_AndStillRoundTrips()
    {
        var clip = McapTestClips.Create(frameCount: 12, seed: 22);
        var noFrames = clip with { Frames = [] };
        var noBoxes = clip with { Signals = [.. clip.Signals.Where(s => s.Sample.Value.Kind != SignalKind.Detections)] };

        foreach (var variant in new[] { noFrames, noBoxes })
        {
            var bytes = McapTestClips.Write(variant);
            var mcap = McapReader.Open(new MemoryStream(bytes));
            Assert.DoesNotContain(mcap.Summary.Schemas.Values, s => s.Name == McapClipFormat.ImageAnnotationsSchema);
            McapTestClips.AssertSameContent(variant, McapTestClips.Read(bytes));
        }
    }

    [Fact]
    public void AnnotatedClip_ReadsBackAsTheSameClip()
    {
        var clip = McapTestClips.Create(frameCount: 30, seed: 23);

        var restored = McapTestClips.Read(McapTestClips.Write(clip));

        McapTestClips.AssertSameContent(clip, restored);
    }

    /// <summary>Each box a closed four-corner polygon and a label at its top-left corner, within a pixel, at the sample's time.</summary>
    internal static void AssertDraws(IReadOnlyList<Detection> detections, JsonElement message, int width, int height, ulong logTime)
    {
        var polygons = message.GetProperty("points").EnumerateArray().ToList();
        var labels = message.GetProperty("labels").EnumerateArray().ToList();
        Assert.Equal(detections.Count, polygons.Count);
        Assert.Equal(detections.Count, labels.Count);
        for (var k = 0; k < detections.Count; k++)
        {
            var d = detections[k];
            var polygon = polygons[k];
            Assert.Equal(2, polygon.GetProperty("type").GetInt32());
            var stamp = polygon.GetProperty("timestamp");
            Assert.Equal(logTime, (stamp.GetProperty("sec").GetUInt64() * 1_000_000_000) + stamp.GetProperty("nsec").GetUInt64());
            var points = polygon.GetProperty("points").EnumerateArray().Select(p => (X: p.GetProperty("x").GetDouble(), Y: p.GetProperty("y").GetDouble())).ToList();
            Assert.Equal(4, points.Count);
            Assert.Equal(d.X * width, points.Min(p => p.X), 1.0);
            Assert.Equal(d.Y * height, points.Min(p => p.Y), 1.0);
            Assert.Equal((d.X + d.Width) * width, points.Max(p => p.X), 1.0);
            Assert.Equal((d.Y + d.Height) * height, points.Max(p => p.Y), 1.0);
            Assert.StartsWith($"{d.ClassId} ", labels[k].GetProperty("text").GetString(), StringComparison.Ordinal);
        }
    }
}

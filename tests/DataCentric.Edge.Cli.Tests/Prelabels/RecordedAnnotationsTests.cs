using System.Text;
using System.Text.Json;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using Json.Schema;

namespace DataCentric.Edge.Cli.Tests.Prelabels;

/// <summary>
/// The recorder's Foxglove overlay on a clip from a real agent run with the test detector: a
/// <c>foxglove.ImageAnnotations</c> channel linked to the camera, every message valid against the
/// schema stored in the file and drawing the very boxes of <c>shadow.boxes</c> at the same time.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AgentRunClipsCollection.Name)]
public sealed class RecordedAnnotationsTests(AgentRunClips clips)
{
    [Fact]
    public void DetectorClip_DrawsShadowBoxesOverTheCamera()
    {
        using var stream = File.OpenRead(clips.DetectorClip);
        var clip = new McapClipReader().Read(stream);
        var mcap = McapReader.Open(stream);
        var camera = Assert.Single(mcap.Summary.Channels.Values, c => c.Topic == McapClipFormat.CameraTopic);
        // One overlay per detections signal: the shadow model's boxes, and the simulated controller's own and its truth.
        var overlays = mcap.Summary.Channels.Values.Where(c => mcap.Summary.Schemas[c.SchemaId].Name == McapClipFormat.ImageAnnotationsSchema).ToList();
        Assert.Equal(["/camera/annotations/primary.boxes", "/camera/annotations/shadow.boxes", "/camera/annotations/truth.boxes"], overlays.Select(c => c.Topic).Order(StringComparer.Ordinal));
        var overlay = Assert.Single(overlays, c => c.Topic == "/camera/annotations/shadow.boxes");
        Assert.Equal("camera", overlay.Metadata[McapClipFormat.AnnotationsFrameIdKey]);
        Assert.Equal(camera.Topic, overlay.Metadata[McapClipFormat.AnnotationsCameraTopicKey]);
        Assert.Equal("shadow.boxes", overlay.Metadata[McapClipFormat.AnnotationsSignalKey]);
        var schema = JsonSchema.FromText(Encoding.UTF8.GetString(mcap.Summary.Schemas[overlay.SchemaId].Data.Span));

        // The camera's log times by frame time: the overlay must carry the same stamps as the frame it was computed on.
        var frameLogTimes = mcap.ReadMessages(c => c.Id == camera.Id).Select(m => m.LogTime).ToList();
        var frames = clip.Frames.OrderBy(f => f.Time).ToList();
        Assert.Equal(frames.Count, frameLogTimes.Count);
        var logTimeOfFrame = frames.Select((f, i) => (f.Time, LogTime: frameLogTimes[i])).ToDictionary(p => p.Time, p => p.LogTime);

        var boxes = clip.Signals.Where(s => s.Name == "shadow.boxes").OrderBy(s => s.Sample.Time).ToList();
        var messages = mcap.ReadMessages(c => c.Id == overlay.Id).ToList();
        Assert.Equal(boxes.Count, messages.Count);
        var drawn = 0;
        for (var i = 0; i < boxes.Count; i++)
        {
            using var json = JsonDocument.Parse(messages[i].Data);
            Assert.True(schema.Evaluate(json.RootElement).IsValid, json.RootElement.ToString());
            var frame = frames.Single(f => f.Time == boxes[i].Sample.Time);
            Assert.Equal(logTimeOfFrame[frame.Time], messages[i].LogTime);
            drawn += AssertDraws(boxes[i].Sample.Value.AsDetections, json.RootElement, frame.Width, frame.Height, messages[i].LogTime);
        }

        Assert.True(drawn > 0, "the detector's clip must have boxes to draw");
    }

    [Fact]
    public void ClassifierClip_HasNoShadowOverlay_AndKeepsItsSignalChannels()
    {
        using var stream = File.OpenRead(clips.ClassifierClip);
        var mcap = McapReader.Open(stream);

        // The classifier draws nothing; the simulated controller's boxes still do.
        var overlays = mcap.Summary.Channels.Values.Where(c => mcap.Summary.Schemas[c.SchemaId].Name == McapClipFormat.ImageAnnotationsSchema).Select(c => c.Topic);
        Assert.Equal(["/camera/annotations/primary.boxes", "/camera/annotations/truth.boxes"], overlays.Order(StringComparer.Ordinal));
        Assert.Contains(mcap.Summary.Channels.Values, c => c.Topic == McapClipFormat.SignalTopicFor("shadow.class"));
        Assert.Contains(mcap.Summary.Channels.Values, c => c.Topic == McapClipFormat.SignalTopicFor("shadow.obstacle"));
    }

    private static int AssertDraws(IReadOnlyList<Detection> detections, JsonElement message, int width, int height, ulong logTime)
    {
        var polygons = message.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(detections.Count, polygons.Count);
        Assert.Equal(detections.Count, message.GetProperty("labels").GetArrayLength());
        for (var k = 0; k < detections.Count; k++)
        {
            var d = detections[k];
            var stamp = polygons[k].GetProperty("timestamp");
            Assert.Equal(logTime, (stamp.GetProperty("sec").GetUInt64() * 1_000_000_000) + stamp.GetProperty("nsec").GetUInt64());
            var points = polygons[k].GetProperty("points").EnumerateArray().Select(p => (X: p.GetProperty("x").GetDouble(), Y: p.GetProperty("y").GetDouble())).ToList();
            Assert.Equal(4, points.Count);
            Assert.Equal(d.X * width, points.Min(p => p.X), 1.0);
            Assert.Equal(d.Y * height, points.Min(p => p.Y), 1.0);
            Assert.Equal((d.X + d.Width) * width, points.Max(p => p.X), 1.0);
            Assert.Equal((d.Y + d.Height) * height, points.Max(p => p.Y), 1.0);
        }

        return detections.Count;
    }
}

using System.Text;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Controller;
using DataCentric.Edge.Device.Tests.Sources.Sensors;

namespace DataCentric.Edge.Device.Tests.Sources.Controller;

/// <summary>The controller's own perception in the JSON message: detections and labels, their units, times and bad input.</summary>
[Trait("Category", "Unit")]
public sealed class ControllerPerceptionTests
{
    private const string GoodBox = """{"class": "car", "score": 0.9, "box": {"x": 0.1, "y": 0.2, "width": 0.3, "height": 0.4}}""";

    internal static ControllerFeedOptions Options(int maxMessageBytes = 16_384)
    {
        var options = new ControllerFeedOptions { MaxMessageBytes = maxMessageBytes };
        options.Signals["brake"] = "Bool";
        options.Signals["boxes"] = "Detections";
        options.Signals["scene"] = "Label";
        options.Classes.Add("car");
        options.Classes.Add("pedestrian");
        options.Classes.Add("cyclist");
        return options;
    }

    private static (SourceRig Rig, ControllerDecisionPublisher Publisher) Rig()
    {
        var rig = new SourceRig();
        var publisher = new ControllerDecisionPublisher(Options(), rig.BadInput, new ClockOffsetEstimator(16));
        publisher.Register(rig.Bus);
        return (rig, publisher);
    }

    private static string Message(string boxes, string extra = "") =>
        $$$"""{"decisions": {"brake": false}, "perception": {"detections": {"boxes": [{{{boxes}}}]}{{{extra}}}}}""";

    [Fact]
    public void Detections_ArePublished_NormalisedTopLeftSize_WithClassesByNameOrId()
    {
        var (rig, publisher) = Rig();
        var message = Message(GoodBox + """, {"class": 2, "score": 0.4, "box": {"x": 0.5, "y": 0.5, "width": 0.25, "height": 0.125}, "track": 17}""", """, "labels": {"scene": "pedestrian"}""");

        Assert.True(publisher.Accept(rig.Bus, Encoding.UTF8.GetBytes(message), TimeSpan.FromSeconds(2)));

        var boxes = rig.Latest("primary.boxes");
        Assert.Equal(SignalKind.Detections, boxes.Value.Kind);
        Assert.Equal([new Detection(0, 0.9f, 0.1f, 0.2f, 0.3f, 0.4f), new Detection(2, 0.4f, 0.5f, 0.5f, 0.25f, 0.125f)], boxes.Value.AsDetections);
        Assert.Equal("pedestrian", rig.Latest("primary.scene").Value.AsText);
        Assert.False(rig.Latest("primary.brake").Value.AsBool);
        Assert.Equal(TimeSpan.FromSeconds(2), boxes.Time);
        Assert.Equal(0, rig.BadInput.Total);
    }

    [Fact]
    public void EmptyList_MeansTheControllerSeesNothing_AndPerceptionAloneIsAMessage()
    {
        var (rig, publisher) = Rig();

        Assert.True(publisher.Accept(rig.Bus, """{"perception": {"detections": {"boxes": []}}}"""u8, TimeSpan.FromSeconds(1)));

        Assert.Empty(rig.Latest("primary.boxes").Value.AsDetections);
        Assert.False(rig.HasSample("primary.brake"));
    }

    [Fact]
    public void BoxPastTheRightOrBottomEdge_IsClippedToTheFrame()
    {
        var (rig, publisher) = Rig();

        Assert.True(publisher.Accept(rig.Bus, Encoding.UTF8.GetBytes(Message("""{"class": 0, "score": 1, "box": {"x": 0.75, "y": 0.5, "width": 0.5, "height": 1}}""")), TimeSpan.FromSeconds(1)));

        var box = Assert.Single(rig.Latest("primary.boxes").Value.AsDetections);
        Assert.Equal((0.75f, 0.5f, 0.25f, 0.5f), (box.X, box.Y, box.Width, box.Height));
    }

    [Fact]
    public void PerceptionTime_StampsDetectionsAtThePerceivedFrame_DecisionsAtTheSentTime()
    {
        var (rig, publisher) = Rig();

        // Controller clock 100 s ahead, 4 ms transport; the frame was captured 80 ms before sending.
        var message = """{"time": 110.000, "decisions": {"brake": true}, "perception": {"time": 109.920, "detections": {"boxes": []}, "labels": {"scene": "car"}}}""";
        Assert.True(publisher.Accept(rig.Bus, Encoding.UTF8.GetBytes(message), TimeSpan.FromSeconds(10.004)));

        Assert.Equal(TimeSpan.FromSeconds(10.004), rig.Latest("primary.brake").Time);
        Assert.Equal(TimeSpan.FromSeconds(9.924), rig.Latest("primary.boxes").Time);
        Assert.Equal(TimeSpan.FromSeconds(9.924), rig.Latest("primary.scene").Time);
    }

    [Fact]
    public void PerceptionTime_NeverGoesBack_NorPastTheSentTime()
    {
        var (rig, publisher) = Rig();

        publisher.Accept(rig.Bus, """{"time": 10.0, "perception": {"time": 9.9, "detections": {"boxes": []}}}"""u8, TimeSpan.FromSeconds(10));
        publisher.Accept(rig.Bus, """{"time": 10.05, "perception": {"time": 9.5, "detections": {"boxes": []}}}"""u8, TimeSpan.FromSeconds(10.05));
        Assert.Equal(TimeSpan.FromSeconds(9.9), rig.Latest("primary.boxes").Time);

        // A perceived time after the sending time is held at the sending time.
        publisher.Accept(rig.Bus, """{"time": 10.1, "perception": {"time": 12, "detections": {"boxes": []}}}"""u8, TimeSpan.FromSeconds(10.1));
        Assert.Equal(TimeSpan.FromSeconds(10.1), rig.Latest("primary.boxes").Time);
    }

    [Fact]
    public void ExactlyTheLimit_IsAccepted_OneMore_IsRefusedWhole()
    {
        var (rig, publisher) = Rig();
        var full = string.Join(", ", Enumerable.Repeat(GoodBox, ControllerPerceptionJson.MaxDetectionsPerList));

        Assert.True(publisher.Accept(rig.Bus, Encoding.UTF8.GetBytes(Message(full)), TimeSpan.FromSeconds(1)));
        Assert.Equal(ControllerPerceptionJson.MaxDetectionsPerList, rig.Latest("primary.boxes").Value.AsDetections.Count);

        Assert.False(publisher.Accept(rig.Bus, Encoding.UTF8.GetBytes(Message(full + ", " + GoodBox)), TimeSpan.FromSeconds(2)));
        Assert.Equal(1, rig.BadInput.CountOf("too-many-detections"));
        Assert.Equal(TimeSpan.FromSeconds(1), rig.Latest("primary.boxes").Time);
    }

    public static TheoryData<string, string, string> BadPerception() => new()
    {
        // Sizes: negative, zero, x2 < x1 (a negative width), too large, NaN and infinity (not JSON numbers: text or overflow).
        { Message("""{"class": 0, "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": -0.2, "height": 0.1}}"""), "bad-detection", "boxes[0].box.width' must be in (0, 1]" },
        { Message("""{"class": 0, "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0}}"""), "bad-detection", "boxes[0].box.height' must be in (0, 1]" },
        { Message(GoodBox + """, {"class": 0, "score": 0.5, "box": {"x": 0.6, "y": 0.1, "width": -0.3, "height": 0.2}}"""), "bad-detection", "boxes[1].box.width'" },
        { Message("""{"class": 0, "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": 1.5, "height": 0.1}}"""), "bad-detection", "boxes[0].box.width' must be in (0, 1], found 1.5" },
        { Message("""{"class": 0, "score": 0.5, "box": {"x": -0.1, "y": 0.1, "width": 0.2, "height": 0.1}}"""), "bad-detection", "boxes[0].box.x' must be in [0, 1)" },
        { Message("""{"class": 0, "score": 0.5, "box": {"x": 0.1, "y": 1, "width": 0.2, "height": 0.1}}"""), "bad-detection", "boxes[0].box.y' must be in [0, 1)" },
        { Message("""{"class": 0, "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": "NaN", "height": 0.1}}"""), "bad-detection", "boxes[0].box.width' must be a finite number" },
        { Message("""{"class": 0, "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": 1e999, "height": 0.1}}"""), "bad-detection", "boxes[0].box.width'" },
        { Message("""{"class": 0, "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": NaN, "height": 0.1}}"""), "malformed-json", "not JSON" },
        { Message("""{"class": 0, "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": Infinity, "height": 0.1}}"""), "malformed-json", "not JSON" },

        // Scores outside [0, 1].
        { Message("""{"class": 0, "score": 1.2, "box": {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.1}}"""), "bad-detection", "boxes[0].score' must be in [0, 1], found 1.2" },
        { Message("""{"class": 0, "score": -0.01, "box": {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.1}}"""), "bad-detection", "boxes[0].score'" },

        // Unknown classes, by name and by id; ids that are not whole numbers.
        { Message("""{"class": "truck", "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.1}}"""), "unknown-class", "boxes[0].class' is 'truck'" },
        { Message("""{"class": 3, "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.1}}"""), "unknown-class", "configured ids are 0..2" },
        { Message("""{"class": -1, "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.1}}"""), "bad-detection", "boxes[0].class' must be a class name or a whole class id" },
        { Message("""{"class": 1.5, "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.1}}"""), "bad-detection", "boxes[0].class'" },
        { Message(GoodBox, """, "labels": {"scene": "tractor"}"""), "unknown-class", "perception.labels.scene' is 'tractor'" },

        // Wrong types.
        { Message("""{"class": 0, "score": "high", "box": {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.1}}"""), "bad-detection", "boxes[0].score' must be a finite number" },
        { Message("""{"class": 0, "score": 0.5, "box": [0.1, 0.1, 0.2, 0.1]}"""), "bad-detection", "boxes[0].box' must be an object" },
        { Message("""{"class": true, "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.1}}"""), "bad-detection", "boxes[0].class'" },
        { Message("42"), "bad-detection", "boxes[0]' must be an object" },
        { """{"perception": {"detections": {"boxes": {"class": 0}}}}""", "bad-detection", "perception.detections.boxes' must be an array" },
        { """{"perception": {"detections": [1]}}""", "malformed-json", "'perception.detections' must be a JSON object" },
        { """{"perception": "boxes"}""", "malformed-json", "'perception' must be a JSON object" },
        { Message(GoodBox, """, "labels": {"scene": 1}"""), "bad-label", "perception.labels.scene' must be a class name" },

        // Missing fields, and a box in another format.
        { Message("""{"class": 0, "box": {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.1}}"""), "bad-detection", "boxes[0]' has no 'score'" },
        { Message("""{"score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.1}}"""), "bad-detection", "boxes[0]' has no 'class'" },
        { Message("""{"class": 0, "score": 0.5}"""), "bad-detection", "boxes[0]' has no 'box'" },
        { Message("""{"class": 0, "score": 0.5, "box": {"x": 0.1, "y": 0.1, "width": 0.2}}"""), "bad-detection", "boxes[0].box' has no 'height'" },
        { Message("""{"class": 0, "score": 0.5, "box": {"x1": 0.1, "y1": 0.1, "x2": 0.3, "y2": 0.2}}"""), "bad-detection", "unknown field 'x1'" },
        { """{"perception": {"time": 3, "detections": {"boxes": []}}}""", "bad-time", "needs the message's 'time'" },
        { """{"time": 3, "perception": {"time": "now", "detections": {"boxes": []}}}""", "bad-time", "'perception.time'" },

        // Names the configuration does not have, or has with another kind.
        { """{"perception": {"detections": {"lanes": []}}}""", "unknown-signal", "'lanes'" },
        { """{"perception": {"detections": {"scene": []}}}""", "wrong-kind", "'scene'" },
        { """{"decisions": {"boxes": 1}}""", "wrong-kind", "'boxes'" },
    };

    [Theory]
    [MemberData(nameof(BadPerception))]
    public void BadPerception_IsRefusedWhole_WithFieldAndPosition_AndTheLastGoodStateStays(string payload, string kind, string says)
    {
        var (rig, publisher) = Rig();
        Assert.True(publisher.Accept(rig.Bus, Encoding.UTF8.GetBytes(Message(GoodBox, """, "labels": {"scene": "car"}""")), TimeSpan.FromSeconds(1)));

        Assert.False(publisher.Accept(rig.Bus, Encoding.UTF8.GetBytes(payload), TimeSpan.FromSeconds(2)));

        Assert.Equal(1, rig.BadInput.CountOf(kind));
        Assert.Equal(1, rig.BadInput.Total);
        var line = Assert.Single(rig.Log.Lines, l => l.Message.Contains(kind, StringComparison.Ordinal)).Message;
        Assert.Contains(says, line, StringComparison.Ordinal);
        if (kind is not ("malformed-json" or "unknown-signal" or "wrong-kind"))
        {
            Assert.Contains("at byte ", line, StringComparison.Ordinal);
        }

        // Nothing of the bad message reached the bus: the good one is still the latest of each signal.
        Assert.Equal(TimeSpan.FromSeconds(1), rig.Latest("primary.boxes").Time);
        Assert.Equal([new Detection(0, 0.9f, 0.1f, 0.2f, 0.3f, 0.4f)], rig.Latest("primary.boxes").Value.AsDetections);
        Assert.Equal(TimeSpan.FromSeconds(1), rig.Latest("primary.brake").Time);
        Assert.Equal("car", rig.Latest("primary.scene").Value.AsText);
    }

    [Theory]
    [InlineData("Detections", false, "Classes: a Detections or Label signal needs the class names")]
    [InlineData("Label", false, "Classes: a Detections or Label signal needs the class names")]
    [InlineData("Boxes", true, "kind must be Number, Bool, Detections or Label, not 'Boxes'")]
    public void Options_ThatCannotReadPerception_AreRefusedAtStart(string kind, bool withClasses, string error)
    {
        var options = new ControllerFeedOptions();
        options.Signals["boxes"] = kind;
        if (withClasses)
        {
            options.Classes.Add("car");
        }

        Assert.Contains(Validate(options), e => e.Contains(error, StringComparison.Ordinal));
    }

    [Fact]
    public void Options_DuplicateOrEmptyClasses_AndPerceptionInTheBinaryLayout_AreRefused()
    {
        var options = new ControllerFeedOptions { Format = ControllerMessageFormat.Binary };
        options.Signals["boxes"] = "Detections";
        options.BinarySignalOrder.Add("boxes");
        options.Classes.Add("car");
        options.Classes.Add(" ");
        options.Classes.Add("car");

        var errors = Validate(options);

        Assert.Contains(errors, e => e.StartsWith("Classes:1: a class name must not be empty", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Classes:2: 'car' is listed twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'boxes' is a Detections signal; the binary message carries numbers and booleans only", StringComparison.Ordinal));
        Assert.Empty(Validate(Options()));
    }

    private static List<string> Validate(ControllerFeedOptions options) =>
        [.. options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(r => r.ErrorMessage!)];
}

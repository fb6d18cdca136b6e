using System.Text;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Controller;
using DataCentric.Edge.Device.Tests.Sources.Sensors;

namespace DataCentric.Edge.Device.Tests.Sources.Controller;

[Trait("Category", "Unit")]
public sealed class ControllerMessageTests
{
    private static ControllerFeedOptions Options(ControllerMessageFormat format = ControllerMessageFormat.Json)
    {
        var options = new ControllerFeedOptions { Format = format, MaxMessageBytes = 256 };
        options.Signals["brake"] = "Bool";
        options.Signals["steer"] = "Number";
        options.BinarySignalOrder.Add("brake");
        options.BinarySignalOrder.Add("steer");
        return options;
    }

    private static (SourceRig Rig, ControllerDecisionPublisher Publisher) Rig(ControllerMessageFormat format = ControllerMessageFormat.Json, TimeSpan? logInterval = null)
    {
        var rig = new SourceRig(logInterval);
        var publisher = new ControllerDecisionPublisher(Options(format), rig.BadInput, new ClockOffsetEstimator(16));
        publisher.Register(rig.Bus);
        return (rig, publisher);
    }

    [Fact]
    public void Json_PublishesEachDecision_AsPrimarySignals()
    {
        var (rig, publisher) = Rig();
        Assert.True(publisher.Accept(rig.Bus, """{"decisions": {"brake": true, "steer": -0.25}, "extra": [1, 2]}"""u8, TimeSpan.FromSeconds(3)));

        Assert.True(rig.Latest("primary.brake").Value.AsBool);
        Assert.Equal(-0.25, rig.Latest("primary.steer").Value.Number);
        Assert.Equal(TimeSpan.FromSeconds(3), rig.Latest("primary.steer").Time);
        Assert.Equal(0, rig.BadInput.Total);
    }

    [Fact]
    public void Json_ControllerTime_IsCorrectedByTheSmallestObservedDelay()
    {
        var (rig, publisher) = Rig();

        // Controller clock runs 100 s ahead; transport delay 5 ms, then 2 ms, then 9 ms.
        publisher.Accept(rig.Bus, """{"time": 110.000, "decisions": {"steer": 1}}"""u8, TimeSpan.FromSeconds(10.005));
        publisher.Accept(rig.Bus, """{"time": 111.000, "decisions": {"steer": 2}}"""u8, TimeSpan.FromSeconds(11.002));
        publisher.Accept(rig.Bus, """{"time": 112.000, "decisions": {"steer": 3}}"""u8, TimeSpan.FromSeconds(12.009));

        // Offset is −99.998 s (the 2 ms message); the third message was sent at 12.002 on the agent's clock.
        Assert.Equal(TimeSpan.FromSeconds(-99.998), publisher.ClockOffset.Offset);
        Assert.Equal(TimeSpan.FromSeconds(12.002), rig.Latest("primary.steer").Time);
    }

    [Fact]
    public void Binary_RoundTrips_TheDocumentedLayout()
    {
        var (rig, publisher) = Rig(ControllerMessageFormat.Binary);
        var message = ControllerBinaryMessage.Encode(null, [(0, true, 1), (1, false, 0.125)]);

        Assert.Equal(ControllerBinaryMessage.HeaderBytes + (2 * ControllerBinaryMessage.DecisionBytes), message.Length);
        Assert.Equal((byte)'D', message[0]);
        Assert.True(publisher.Accept(rig.Bus, message, TimeSpan.FromSeconds(1)));
        Assert.True(rig.Latest("primary.brake").Value.AsBool);
        Assert.Equal(0.125, rig.Latest("primary.steer").Value.Number);
    }

    [Theory]
    [InlineData("not json at all", "malformed-json")]
    [InlineData("{\"decisions\": {\"brake\": true}", "malformed-json")]
    [InlineData("[1, 2, 3]", "malformed-json")]
    [InlineData("{\"time\": 1}", "malformed-json")]
    [InlineData("{\"time\": \"noon\", \"decisions\": {}}", "bad-time")]
    [InlineData("{\"decisions\": {\"brake\": \"yes\"}}", "bad-value")]
    [InlineData("{\"decisions\": {\"throttle\": 0.5}}", "unknown-signal")]
    [InlineData("{\"decisions\": {\"brake\": 0.5}}", "wrong-kind")]
    [InlineData("{\"decisions\": {\"steer\": 0.1, \"brake\": 3}}", "wrong-kind")]
    public void MalformedJson_IsCountedByKind_AndChangesNothing(string payload, string kind)
    {
        var (rig, publisher) = Rig();

        Assert.False(publisher.Accept(rig.Bus, Encoding.UTF8.GetBytes(payload), TimeSpan.FromSeconds(1)));

        Assert.Equal(1, rig.BadInput.CountOf(kind));
        Assert.False(rig.HasSample("primary.steer"), "a bad message must publish none of its decisions");
        Assert.False(rig.HasSample("primary.brake"));
        Assert.Contains(rig.Log.Lines, l => l.Message.Contains(kind, StringComparison.Ordinal));
    }

    [Fact]
    public void OversizedMessage_IsRejectedBeforeParsing()
    {
        var (rig, publisher) = Rig();
        var payload = Encoding.UTF8.GetBytes($"{{\"decisions\": {{\"steer\": 1}}, \"pad\": \"{new string('x', 300)}\"}}");

        Assert.False(publisher.Accept(rig.Bus, payload, TimeSpan.FromSeconds(1)));
        Assert.Equal(1, rig.BadInput.CountOf("oversized"));
    }

    public static TheoryData<byte[], string> BadBinary() => new()
    {
        { [0x44, 0x43, 1], "short-binary" },
        { [0x58, 0x58, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "bad-magic" },
        { [0x44, 0x43, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "bad-version" },
        { [0x44, 0x43, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], "malformed-binary" },
        { ControllerBinaryMessage.Encode(null, [(0, true, 1)])[..^1], "short-binary" },
        { ControllerBinaryMessage.Encode(null, [(7, true, 1)]), "unknown-signal" },
        { ControllerBinaryMessage.Encode(null, [(1, false, double.NaN)]), "bad-value" },
    };

    [Theory]
    [MemberData(nameof(BadBinary))]
    public void MalformedBinary_IsCountedByKind_AndChangesNothing(byte[] payload, string kind)
    {
        var (rig, publisher) = Rig(ControllerMessageFormat.Binary);

        Assert.False(publisher.Accept(rig.Bus, payload, TimeSpan.FromSeconds(1)));

        Assert.Equal(1, rig.BadInput.CountOf(kind));
        Assert.False(rig.HasSample("primary.brake"));
    }

    [Fact]
    public void RepeatedBadInput_IsLoggedOncePerKindPerInterval_ButEveryOneIsCounted()
    {
        var (rig, publisher) = Rig(logInterval: TimeSpan.FromSeconds(10));
        for (var i = 0; i < 50; i++)
        {
            publisher.Accept(rig.Bus, "garbage"u8, rig.Clock.Now);
            publisher.Accept(rig.Bus, """{"decisions": {"nope": 1}}"""u8, rig.Clock.Now);
        }

        Assert.Equal(50, rig.BadInput.CountOf("malformed-json"));
        Assert.Equal(50, rig.BadInput.CountOf("unknown-signal"));
        Assert.Equal(2, rig.Log.Lines.Count);

        rig.Time.Advance(TimeSpan.FromSeconds(11));
        publisher.Accept(rig.Bus, "garbage"u8, rig.Clock.Now);
        Assert.Equal(3, rig.Log.Lines.Count);
        Assert.Contains("seen 51 times", rig.Log.Lines.Last().Message, StringComparison.Ordinal);

        // And the feed still works.
        Assert.True(publisher.Accept(rig.Bus, """{"decisions": {"steer": 0.5}}"""u8, rig.Clock.Now));
    }
}

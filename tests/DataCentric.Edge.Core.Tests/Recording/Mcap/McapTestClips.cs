using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Tests.Recording.Mcap;

/// <summary>Builds clips with every kind of content from a seed, and compares clips by content.</summary>
internal static class McapTestClips
{
    public static readonly DateTimeOffset WallClockStart = new(2026, 11, 29, 9, 30, 0, 123, TimeSpan.FromHours(1));

    public static ClipContent Create(int frameCount, int seed = 1, int frameBytes = 2_000, TimeSpan? framePeriod = null)
    {
        var random = new Random(seed);
        var start = TimeSpan.FromSeconds(100) + TimeSpan.FromTicks(random.Next(1, 10_000));
        var period = framePeriod ?? TimeSpan.FromMilliseconds(33.3);
        var frames = new List<Frame>();
        var signals = new List<SignalUpdate>();
        for (var i = 0; i < frameCount; i++)
        {
            var time = start + (period * i) + TimeSpan.FromTicks(random.Next(0, 50));
            var data = new byte[frameBytes + random.Next(0, 64)];
            random.NextBytes(data);
            frames.Add(new Frame(1_000 + i, time, WallClockStart + (time - start) + TimeSpan.FromTicks(7), 640, 480, "jpeg", data, i % 5 == 4 ? "rear" : "camera"));

            signals.Add(new SignalUpdate(new SignalId(0), "shadow.obstacle", new SignalSample(SignalValue.FromNumber((random.NextDouble() * 2e6) - 1e6), time)));
            signals.Add(new SignalUpdate(new SignalId(1), "primary.brake", new SignalSample(SignalValue.FromBool(random.Next(2) == 1), time + TimeSpan.FromTicks(3))));
            if (i % 3 == 0)
            {
                signals.Add(new SignalUpdate(new SignalId(2), "shadow.label", new SignalSample(SignalValue.FromText($"class \"{i}\" ✓ <&>"), time + TimeSpan.FromTicks(5))));
                signals.Add(new SignalUpdate(new SignalId(3), "shadow.boxes", new SignalSample(SignalValue.FromDetections(Boxes(random, i % 4)), time + TimeSpan.FromTicks(5))));
                signals.Add(new SignalUpdate(new SignalId(4), "shadow.embedding", new SignalSample(SignalValue.FromVector(Vector(random, 16)), time + TimeSpan.FromTicks(6))));
            }
        }

        var end = start + (period * Math.Max(frameCount, 1));
        var events = new List<TriggerEvent>
        {
            new("evt-1", [new TriggerHit("brake_disagree", "abs(shadow.brake - primary.brake) > 0.5 && held(2s)", 3, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2.5))], start + (period * (frameCount / 2)), WallClockStart.AddSeconds(1), 7, false),
            new("evt-2", [new TriggerHit("novel", "novelty(shadow.embedding) > 0.9", 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)), new TriggerHit("iou", "iou(shadow.boxes, primary.boxes) < 0.3", 5, TimeSpan.FromTicks(1), TimeSpan.Zero)], start + (period * (frameCount / 2)) + TimeSpan.FromTicks(1), WallClockStart.AddSeconds(1.5), 7, false),
        };
        var metadata = new Dictionary<string, string>
        {
            ["model_sha256"] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            ["agent_version"] = "0.1.0",
            ["device_id"] = "pi5-garage-01",
            ["note"] = string.Empty,
        };
        return new ClipContent($"clip-{seed}", start, end, WallClockStart, frames, signals, events, metadata);
    }

    public static ClipContent Empty() =>
        new("clip-empty", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6), WallClockStart, [], [], [], new Dictionary<string, string> { ["device_id"] = "d1" });

    public static byte[] Write(ClipContent clip, McapWriterOptions? options = null)
    {
        using var stream = new MemoryStream();
        new McapClipWriter(options).Write(clip, stream);
        return stream.ToArray();
    }

    public static ClipContent Read(byte[] file)
    {
        using var stream = new MemoryStream(file, writable: false);
        return new McapClipReader().Read(stream);
    }

    /// <summary>Content equality: records compare arrays by reference, so bytes and values are compared here.</summary>
    public static void AssertSameContent(ClipContent expected, ClipContent actual)
    {
        Assert.Equal(expected.ClipId, actual.ClipId);
        Assert.Equal(expected.Start, actual.Start);
        Assert.Equal(expected.End, actual.End);
        Assert.Equal(expected.WallClockStart, actual.WallClockStart);
        Assert.Equal(expected.WallClockStart.Offset, actual.WallClockStart.Offset);
        Assert.Equal(expected.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));

        Assert.Equal(expected.Frames.Count, actual.Frames.Count);
        for (var i = 0; i < expected.Frames.Count; i++)
        {
            var (e, a) = (expected.Frames[i], actual.Frames[i]);
            Assert.Equal(e with { Data = default }, a with { Data = default });
            Assert.Equal(e.WallClock.Offset, a.WallClock.Offset);
            Assert.True(e.Data.Span.SequenceEqual(a.Data.Span), $"frame {i} bytes differ");
        }

        Assert.Equal(expected.Signals.Count, actual.Signals.Count);
        for (var i = 0; i < expected.Signals.Count; i++)
        {
            var (e, a) = (expected.Signals[i], actual.Signals[i]);
            Assert.Equal(e.Id, a.Id);
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Sample.Time, a.Sample.Time);
            AssertSameValue(e.Sample.Value, a.Sample.Value);
        }

        Assert.Equal(expected.Events.Count, actual.Events.Count);
        for (var i = 0; i < expected.Events.Count; i++)
        {
            var (e, a) = (expected.Events[i], actual.Events[i]);
            Assert.Equal(e with { Triggers = [] }, a with { Triggers = [] });
            Assert.Equal(e.Triggers, a.Triggers);
        }
    }

    public static void AssertSameValue(SignalValue expected, SignalValue actual)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Number, actual.Number);
        Assert.Equal(expected.AsText, actual.AsText);
        Assert.Equal(expected.AsDetections, actual.AsDetections);
        Assert.Equal(expected.AsVector.ToArray(), actual.AsVector.ToArray());
    }

    private static Detection[] Boxes(Random random, int count) =>
        Enumerable.Range(0, count)
            .Select(_ => new Detection(random.Next(80), random.NextSingle(), random.NextSingle(), random.NextSingle(), random.NextSingle() / 3, random.NextSingle() / 3))
            .ToArray();

    private static float[] Vector(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (random.NextSingle() * 20) - 10).ToArray();
}

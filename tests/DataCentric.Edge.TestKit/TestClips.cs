using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.TestKit;

/// <summary>Builders for frames, events and clips with recognisable contents.</summary>
public static class TestClips
{
    public static Frame Frame(long sequence, TimeSpan time, int bytes = 64)
    {
        var data = new byte[bytes];
        new Random((int)sequence).NextBytes(data);
        return new Frame(sequence, time, DateTimeOffset.UnixEpoch + time, 64, 48, "jpeg", data);
    }

    public static TriggerEvent Event(string triggerId, TimeSpan time, TimeSpan pre, TimeSpan post, int priority = 1, bool dryRun = false) =>
        new(Guid.NewGuid().ToString("N"), [new TriggerHit(triggerId, "true", priority, pre, post)], time, DateTimeOffset.UnixEpoch + time, 1, dryRun);

    public static ClipContent Clip(string clipId, int frames, int frameBytes, int priority = 1)
    {
        var list = Enumerable.Range(0, frames).Select(i => Frame(i, TimeSpan.FromMilliseconds(i * 100), frameBytes)).ToList();
        var end = TimeSpan.FromMilliseconds(Math.Max(0, frames - 1) * 100);
        return new ClipContent(
            clipId,
            TimeSpan.Zero,
            end,
            DateTimeOffset.UnixEpoch,
            list,
            [new SignalUpdate(new SignalId(0), "shadow.obstacle", new SignalSample(SignalValue.FromNumber(0.9), TimeSpan.Zero))],
            [Event("missed-obstacle", end / 2, end / 2, end / 2, priority)],
            new Dictionary<string, string> { ["model.sha256"] = new string('a', 64) });
    }
}

/// <summary>A clip writer twin: writes the frames' bytes back to back, so sizes and hashes are predictable.</summary>
public sealed class RawFramesClipWriter : IClipWriter
{
    public string FileExtension => ".raw";

    public void Write(ClipContent clip, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(destination);
        foreach (var frame in clip.Frames)
        {
            destination.Write(frame.Data.Span);
        }
    }
}

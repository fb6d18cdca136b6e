using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Time.Testing;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Core.Tests.Recording;

[Trait("Category", "Unit")]
public sealed class ClipRecorderTests
{
    private static readonly Dictionary<string, string> Metadata = new() { ["device.id"] = "d1" };
    private readonly FakeTimeProvider _time = new();
    private readonly MonotonicClock _clock;

    public ClipRecorderTests() => _clock = new MonotonicClock(_time);

    [Fact]
    public void Clip_CoversPreAndPostWindow_OnceThePostWindowHasPassed()
    {
        var recorder = new ClipRecorder(new RecorderOptions(), _clock);
        FeedFrames(recorder, seconds: 5);
        recorder.OnTrigger(TestClips.Event("t1", S(5), pre: S(2), post: S(1)));

        var completed = Collect(recorder);
        Assert.Empty(completed);

        FeedFrames(recorder, seconds: 1.1, from: 5.1);
        completed = Collect(recorder);

        var clip = Assert.Single(completed);
        Assert.Equal(S(3), clip.Start);
        Assert.Equal(S(6), clip.End);
        Assert.Equal(S(3), clip.Frames[0].Time);
        Assert.Equal(S(6), clip.Frames[^1].Time);
        Assert.Equal(31, clip.Frames.Count);
        Assert.Equal("d1", clip.Metadata["device.id"]);

        // Its frames are in slabs it holds until whoever writes it disposes them.
        var memory = Assert.IsType<ClipFrames>(clip.FrameMemory);
        Assert.Same(memory.Frames, clip.Frames);
        Assert.True(memory.RentedBuffers > 0);
        memory.Dispose();
        Assert.Equal(0, memory.RentedBuffers);
    }

    [Fact]
    public void OverlappingTriggers_MergeIntoOneClipListingBoth()
    {
        var recorder = new ClipRecorder(new RecorderOptions(), _clock);
        FeedFrames(recorder, seconds: 5);
        recorder.OnTrigger(TestClips.Event("t1", S(5), pre: S(2), post: S(1)));
        FeedFrames(recorder, seconds: 0.5, from: 5.1);
        recorder.OnTrigger(TestClips.Event("t2", S(5.5), pre: S(2), post: S(1)));
        FeedFrames(recorder, seconds: 2, from: 5.6);

        var clip = Assert.Single(Collect(recorder));

        Assert.Equal(["t1", "t2"], clip.Events.SelectMany(e => e.Triggers).Select(t => t.TriggerId));
        Assert.Equal(S(3), clip.Start);
        Assert.Equal(S(6.5), clip.End);
    }

    [Fact]
    public void AWindowCutFromTheRing_BeforeAPendingClip_GetsItsOwnClip_CoveringIt()
    {
        var recorder = new ClipRecorder(new RecorderOptions(), _clock);
        FeedFrames(recorder, seconds: 8);
        recorder.OnTrigger(TestClips.Event("t1", S(8), pre: S(1), post: S(2)));

        // A pull asks for 2 s to 5 s while t1's clip (7 s to 10 s) waits for its post window.
        recorder.OnTrigger(TestClips.Event(PullWindows.RingCutTriggerId, S(5), pre: S(3), post: TimeSpan.Zero));
        FeedFrames(recorder, seconds: 2.1, from: 8.1);
        var clips = Collect(recorder);

        Assert.Equal(2, clips.Count);
        Assert.Equal((S(2), S(5)), (clips[0].Start, clips[0].End));
        Assert.Equal(S(2), clips[0].Frames[0].Time);
        Assert.Equal([PullWindows.RingCutTriggerId], clips[0].Events.SelectMany(e => e.Triggers).Select(t => t.TriggerId));
        Assert.Equal((S(7), S(10)), (clips[1].Start, clips[1].End));
    }

    [Fact]
    public void SeparateTriggers_MakeSeparateClips()
    {
        var recorder = new ClipRecorder(new RecorderOptions(), _clock);
        FeedFrames(recorder, seconds: 5);
        recorder.OnTrigger(TestClips.Event("t1", S(3), pre: S(1), post: S(1)));
        recorder.OnTrigger(TestClips.Event("t2", S(4.5), pre: S(0.4), post: S(0.3)));

        var clips = Collect(recorder);

        Assert.Equal(2, clips.Count);
        Assert.Equal(S(4.1), clips[1].Start);
    }

    [Fact]
    public void MergedClip_IsCappedAtMaxClipLength()
    {
        var recorder = new ClipRecorder(new RecorderOptions { MaxClipLength = S(4) }, _clock);
        FeedFrames(recorder, seconds: 10);
        for (var t = 2.0; t <= 8; t += 1)
        {
            recorder.OnTrigger(TestClips.Event("t1", S(t), pre: S(1), post: S(1)));
        }

        var clips = Collect(recorder);

        Assert.Equal(S(1), clips[0].Start);
        Assert.Equal(S(5), clips[0].End);
    }

    [Fact]
    public void TriggerBeyondAFullMergedClip_StartsTheNextClipWhereTheFullOneEnds()
    {
        var recorder = new ClipRecorder(new RecorderOptions { MaxClipLength = S(4) }, _clock);
        FeedFrames(recorder, seconds: 12);
        for (var t = 2.0; t <= 8; t += 1)
        {
            recorder.OnTrigger(TestClips.Event($"t{t}", S(t), pre: S(1), post: S(1)));
        }

        var clips = Collect(recorder);

        // Every clip holds the moments it lists: none is listed in a clip that ends before it.
        Assert.Equal([(S(1), S(5)), (S(5), S(9))], clips.Select(c => (c.Start, c.End)));
        Assert.All(clips, c => Assert.All(c.Events, e => Assert.InRange(e.Time, c.Start, c.End)));
        Assert.Equal(7, clips.Sum(c => c.Events.Count));
    }

    [Fact]
    public void AtShutdown_PendingClipsAreHandedOver_CutAtTheNewestFrame()
    {
        using var recorder = new ClipRecorder(new RecorderOptions(), _clock);
        FeedFrames(recorder, seconds: 5);
        recorder.OnTrigger(TestClips.Event("t1", S(4.5), pre: S(1), post: S(3)));
        Assert.Empty(Collect(recorder));

        var handedOver = new List<ClipContent>();
        recorder.CollectAllPending(handedOver, Metadata);

        var clip = Assert.Single(handedOver);
        Assert.Equal((S(3.5), S(5)), (clip.Start, clip.End));
        Assert.Equal(16, clip.Frames.Count);
        Assert.Equal(0, recorder.PendingClips);
    }

    [Fact]
    public void AdjacentTriggers_MergeIntoOneClip()
    {
        var recorder = new ClipRecorder(new RecorderOptions(), _clock);
        FeedFrames(recorder, seconds: 6);
        recorder.OnTrigger(TestClips.Event("t1", S(2), pre: S(1), post: S(1)));
        recorder.OnTrigger(TestClips.Event("t2", S(4), pre: S(1), post: S(1)));

        var clip = Assert.Single(Collect(recorder));

        Assert.Equal((S(1), S(5)), (clip.Start, clip.End));
    }

    [Fact]
    public void DryRunEvents_RecordNothing()
    {
        var recorder = new ClipRecorder(new RecorderOptions(), _clock);
        FeedFrames(recorder, seconds: 5);

        Assert.True(recorder.OnTrigger(TestClips.Event("t1", S(3), S(1), S(1), dryRun: true)));
        Assert.Empty(Collect(recorder));
    }

    [Fact]
    public void TooManyPendingClips_RefusesAndCounts()
    {
        var recorder = new ClipRecorder(new RecorderOptions { MaxPendingClips = 2 }, _clock);
        FeedFrames(recorder, seconds: 1);

        Assert.True(recorder.OnTrigger(TestClips.Event("a", S(10), S(0.1), S(1))));
        Assert.True(recorder.OnTrigger(TestClips.Event("b", S(20), S(0.1), S(1))));
        Assert.False(recorder.OnTrigger(TestClips.Event("c", S(30), S(0.1), S(1))));
        Assert.Equal(1, recorder.Counters.RefusedEvents);
    }

    [Fact]
    public void Ring_IsBoundedByBytes_AndCountsEarlyEvictions()
    {
        var recorder = new ClipRecorder(new RecorderOptions { RingMaxBytes = 64 * 10 }, _clock);
        FeedFrames(recorder, seconds: 3);

        Assert.Equal(10, recorder.Counters.RingFrames);
        Assert.Equal(21, recorder.Counters.FramesEvictedEarly);
    }

    [Fact]
    public void Ring_ForgetsDataOlderThanItsDuration_UnlessAClipNeedsIt()
    {
        var recorder = new ClipRecorder(new RecorderOptions { RingDuration = S(2) }, _clock);
        FeedFrames(recorder, seconds: 10);
        Collect(recorder);

        Assert.InRange(recorder.Counters.RingFrames, 20, 21);
    }

    [Fact]
    public void Signals_InTheWindow_AreInTheClip()
    {
        var recorder = new ClipRecorder(new RecorderOptions(), _clock);
        var id = new SignalId(0);
        for (var t = 0.0; t <= 6; t += 0.5)
        {
            recorder.Add(new SignalUpdate(id, "primary.brake", new SignalSample(SignalValue.FromBool(t > 4), S(t))));
        }

        FeedFrames(recorder, seconds: 6);
        recorder.OnTrigger(TestClips.Event("t1", S(4), pre: S(1), post: S(1)));

        var clip = Assert.Single(Collect(recorder));

        Assert.Equal([3.0, 3.5, 4.0, 4.5, 5.0], clip.Signals.Select(s => s.Sample.Time.TotalSeconds));
    }

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private void FeedFrames(ClipRecorder recorder, double seconds, double from = 0)
    {
        for (var t = from; t <= from + seconds + 1e-9; t += 0.1)
        {
            var time = TimeSpan.FromSeconds(Math.Round(t, 1));
            _time.SetUtcNow(_time.Start + time);
            recorder.Add(TestClips.Frame((long)(t * 10), time));
        }
    }

    private List<ClipContent> Collect(ClipRecorder recorder)
    {
        var completed = new List<ClipContent>();
        recorder.CollectCompleted(completed, Metadata);
        return completed;
    }
}

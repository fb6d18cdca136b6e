using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording;
using DataCentric.Edge.Core.Signals;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.Agent.Tests.Pipeline;

[Trait("Category", "Unit")]
public sealed class RingWindowRecorderTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly MonotonicClock _clock;
    private readonly PipelineChannels _channels = new(Options.Create(new PipelineOptions()), new AgentMetrics());
    private readonly RingWindowRecorder _recorder;

    public RingWindowRecorderTests()
    {
        _clock = new MonotonicClock(_time);
        _recorder = new RingWindowRecorder(_channels, _clock, Options.Create(new RecorderOptions { RingDuration = TimeSpan.FromSeconds(20) }));
        _time.Advance(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void WindowPartlyOlderThanTheRing_IsCutFromTheRingsOldestData_AsAManualTrigger()
    {
        var cut = _recorder.Request(Window(30, 45), "pullWindow around event e1");

        Assert.Equal(Window(40, 45), cut);
        Assert.True(_channels.TriggerEvents.Reader.TryRead(out var request));
        var hit = Assert.Single(request.Triggers);
        Assert.Equal((RingWindowRecorder.TriggerId, TimeSpan.FromSeconds(5), TimeSpan.Zero), (hit.TriggerId, hit.Pre, hit.Post));
        Assert.Equal(TimeSpan.FromSeconds(45), request.Time);
        Assert.False(request.DryRun);
    }

    [Theory]
    [InlineData(10, 30)]
    [InlineData(50, 50)]
    public void WindowTheRingNoLongerHoldsOrEmpty_IsRefused(double from, double to)
    {
        Assert.Null(_recorder.Request(Window(from, to), "x"));
        Assert.False(_channels.TriggerEvents.Reader.TryRead(out _));
    }

    private TimeRange Window(double from, double to) =>
        new(_clock.ToWallClock(TimeSpan.FromSeconds(from)), _clock.ToWallClock(TimeSpan.FromSeconds(to)));
}

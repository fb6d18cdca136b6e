using DataCentric.Edge.Agent.Tests.EndToEnd;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Sensors;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Tests.Sources;

/// <summary>A frame source that cannot deliver does not take the agent down: it is reported and retried while everything else runs.</summary>
[Trait("Category", "Integration")]
public sealed class BadSourceTests
{
    [Fact]
    public async Task VideoFileThatIsNotAVideo_IsReportedAndRetried_WhileTheAgentKeepsRunning()
    {
        using var dir = new TempDirectory("dce-bad-source");
        var path = dir.Combine("holiday.mp4");
        await File.WriteAllTextAsync(path, "not a video", TestContext.Current.CancellationToken);
        await using var agent = new DemoAgent(
            ("Sources:Camera:Kind", "VideoFile"),
            ("Sources:Camera:Path", path),
            ("Sources:Camera:RetryInitialDelay", "00:00:00.1"),
            ("Sources:Camera:RetryMaxDelay", "00:00:00.2"));
        var health = agent.Host.Services.GetRequiredService<SourceHealth>();
        var retried = new TaskCompletionSource<SourceStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        health.Changed += s =>
        {
            if (s.State == SourceState.Retrying && s.Restarts >= 2)
            {
                retried.TrySetResult(s);
            }
        };

        await agent.Host.StartAsync(TestContext.Current.CancellationToken);
        var status = await retried.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.Contains("holiday.mp4", status.LastError, StringComparison.Ordinal);
        Assert.Equal(0, agent.Metrics.FramesCaptured);

        // The controller feed and the trigger stage are still working.
        var bus = agent.Host.Services.GetRequiredService<SignalBus>();
        Assert.True(bus.TryGetId("primary.steer", out var steer));
        Assert.True(bus.TryGetLatest(steer, out var before));
        var clock = agent.Host.Services.GetRequiredService<MonotonicClock>();
        var deadline = clock.Now + TimeSpan.FromSeconds(5);
        SignalSample after;
        while (!(bus.TryGetLatest(steer, out after) && after.Time > before.Time))
        {
            Assert.True(clock.Now < deadline, "the controller feed stopped publishing");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await agent.Host.StopAsync(TestContext.Current.CancellationToken);
    }
}

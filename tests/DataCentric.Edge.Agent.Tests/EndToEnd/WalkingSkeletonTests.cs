using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Backtest;
using DataCentric.Edge.Device.Sources.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Agent.Tests.EndToEnd;

/// <summary>
/// The shadow-mode loop end to end on real parts: rendered JPEG frames, ONNX Runtime, the trigger
/// language, MCAP clips, LiteDB, MQTTnet's broker, the receiver. The scene's controller misses
/// episodes 0 and 2 and brakes for 1 and 3, so exactly two clips must arrive, each around a miss.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WalkingSkeletonTests
{
    private static readonly (string, string)[] Scene =
    [
        ("Sources:Synthetic:FirstEpisodeAt", "00:00:02.5"),
        ("Sources:Synthetic:EpisodePeriod", "00:00:03"),
        ("Sources:Synthetic:ApproachDuration", "00:00:01.5"),
        ("Sources:Synthetic:StandDuration", "00:00:00.6"),
        ("Sources:Synthetic:Width", "320"),
        ("Sources:Synthetic:Height", "240"),
        ("Sources:SimulatedController:MissedEpisodes:0", "0"),
        ("Sources:SimulatedController:MissedEpisodes:1", "2"),
    ];

    [Fact]
    public async Task Demo_ControllerMisses_ArriveAsIntactClipsCoveringPreAndPost()
    {
        await using var agent = new DemoAgent(Scene);
        var scene = agent.Host.Services.GetRequiredService<SyntheticScene>();
        var model = Assert.Single(agent.Host.Services.GetRequiredService<IInferenceEngine>().Models);
        await agent.Host.StartAsync(TestContext.Current.CancellationToken);

        await agent.WaitForClipsAsync(2, TimeSpan.FromSeconds(40));
        // Episode 3 is braked for: give it time to (wrongly) produce a clip.
        await WaitUntilSceneTimeAsync(agent, scene.EpisodeEndOf(3) + TimeSpan.FromSeconds(1.5));
        await agent.Host.StopAsync(TestContext.Current.CancellationToken);

        var clips = agent.Received.OrderBy(c => c.Manifest.StartWall).ToList();
        Assert.Equal(2, clips.Count);
        var missed = new[] { 0, 2 };
        for (var i = 0; i < clips.Count; i++)
        {
            var received = clips[i];
            Assert.Equal(received.Manifest.Sha256, ClipFileStore.HashFile(received.Path));
            await using var file = File.OpenRead(received.Path);
            var clip = new McapClipReader().Read(file);
            var triggerEvent = Assert.Single(clip.Events);
            Assert.Equal("missed-obstacle", Assert.Single(triggerEvent.Triggers).TriggerId);
            Assert.Equal(["missed-obstacle"], received.Manifest.TriggerIds);

            // Fired inside the episode the controller missed, after the obstacle came within range.
            var episode = missed[i];
            Assert.InRange(triggerEvent.Time, scene.AheadStartOf(episode), scene.EpisodeEndOf(episode));

            // Frames span [t − 2 s, t + 1 s] at 15 fps, give or take one frame at each end.
            var frameGap = TimeSpan.FromSeconds(1.5 / 15);
            Assert.InRange(clip.Frames[0].Time, triggerEvent.Time - TimeSpan.FromSeconds(2), triggerEvent.Time - TimeSpan.FromSeconds(2) + frameGap);
            Assert.InRange(clip.Frames[^1].Time, triggerEvent.Time + TimeSpan.FromSeconds(1) - frameGap, triggerEvent.Time + TimeSpan.FromSeconds(1));
            Assert.InRange(clip.Frames.Count, 42, 47);
            Assert.Equal(received.Manifest.FrameCount, clip.Frames.Count);

            // The signals the trigger compared, and which model saw it.
            Assert.Contains(clip.Signals, s => s.Name == "shadow.obstacle" && s.Sample.Value.Number > 0.5);
            Assert.Contains(clip.Signals, s => s.Name == "primary.brake");
            Assert.Equal(model.Sha256, clip.Metadata[ClipFileStore.ModelShaKey]);
            Assert.Equal(model.Sha256, received.Manifest.ModelSha256);
        }

        var printed = agent.Output.ToString().Split('\n');
        Assert.Equal(2, printed.Count(l => l.StartsWith("trigger ", StringComparison.Ordinal)));
        Assert.Equal(2, printed.Count(l => l.StartsWith("clip ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Agent_StopsCleanly_EveryWorkerEnds_AndTheDataDirectoryIsReleased()
    {
        await using var agent = new DemoAgent(Scene);
        await agent.Host.StartAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => agent.Metrics.FramesInferred > 10, TimeSpan.FromSeconds(20));

        // How fast it stops is for the benchmarks; here it must stop at all. The deadline only keeps a
        // hang from holding the run (the host gives up on its services after its 30 s shutdown timeout).
        var stopDeadline = TimeSpan.FromMinutes(2);
        try
        {
            await agent.Host.StopAsync(TestContext.Current.CancellationToken).WaitAsync(stopDeadline, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the host had not stopped {stopDeadline.TotalSeconds:0} s after StopAsync:\n{agent.Output}");
        }

        // Every worker has ended, none with a fault: the host did not give up on one still running.
        var workers = agent.Host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        Assert.NotEmpty(workers);
        Assert.All(workers, w => Assert.True(
            w.ExecuteTask is null || w.ExecuteTask.IsCompletedSuccessfully || w.ExecuteTask.IsCanceled,
            $"{w.GetType().Name} after the host stopped: {w.ExecuteTask?.Status} {w.ExecuteTask?.Exception}"));

        // Clean means released: the data directory and its catalog can be taken by the next agent.
        agent.Host.Dispose();
        using var nextAgent = DataDirectoryLock.Acquire(agent.DataDirectory);
        using var catalog = new LiteDbClipCatalog(Path.Combine(agent.DataDirectory, "catalog.db"));
        Assert.Empty(catalog.PendingUploads(10));
    }

    [Fact]
    public async Task Record_WritesADriveWhoseBacktestFindsExactlyTheControllersMisses()
    {
        await using var agent = new DemoAgent(AgentMode.Record, Scene);
        var scene = agent.Host.Services.GetRequiredService<SyntheticScene>();
        await agent.Host.StartAsync(TestContext.Current.CancellationToken);
        await WaitUntilSceneTimeAsync(agent, scene.EpisodeEndOf(3));
        await agent.Host.StopAsync(TestContext.Current.CancellationToken);

        RecordedDrive drive;
        await using (var file = File.OpenRead(agent.DrivePath))
        {
            drive = RecordedDrive.Load(file);
        }

        // The scene's truth: the controller missed episodes 0 and 2 (sampled at 20 Hz on a busy machine).
        var truth = drive.GroundTruth("truth.primary_missed");
        Assert.Equal(2, truth.Count);
        var sampling = TimeSpan.FromMilliseconds(300);
        Assert.InRange(truth[0].Start, scene.AheadStartOf(0), scene.AheadStartOf(0) + sampling);
        Assert.InRange(truth[1].Start, scene.AheadStartOf(2), scene.AheadStartOf(2) + sampling);

        var set = TriggerSetCompiler.Compile(
            await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "triggers", "demo.yaml"), TestContext.Current.CancellationToken),
            TriggerSourceFormat.Yaml,
            drive.KnownSignals).GetSetOrThrow();
        var report = TriggerBacktest.Run(set, drive.Samples, new BacktestOptions { GroundTruth = truth });
        Assert.Equal(2, report["missed-obstacle"].Fires);
        Assert.Equal(1.0, report["missed-obstacle"].Recall);
        Assert.Equal(1.0, report["missed-obstacle"].Precision);
    }

    private static Task WaitUntilSceneTimeAsync(DemoAgent agent, TimeSpan sceneTime)
    {
        var clock = agent.Host.Services.GetRequiredService<Core.Signals.MonotonicClock>();
        return WaitUntilAsync(() => clock.Now >= sceneTime, sceneTime + TimeSpan.FromSeconds(10));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        while (!condition())
        {
            // Polls counters the agent's workers update; bounded by the timeout.
            await Task.Delay(50, cts.Token);
        }
    }
}

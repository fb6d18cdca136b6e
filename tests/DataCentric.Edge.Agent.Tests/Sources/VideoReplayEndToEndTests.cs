using System.Diagnostics;
using DataCentric.Edge.Agent.Tests.EndToEnd;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.TestKit;
using SkiaSharp;

namespace DataCentric.Edge.Agent.Tests.Sources;

/// <summary>
/// An ffmpeg <c>testsrc</c> video replayed through the whole agent (ffmpeg source → bus → model →
/// triggers → recorder → MCAP → LiteDB → MQTT → receiver): the clip that arrives holds the
/// video's frames, at the configured size, around the controller's decision.
/// </summary>
[Trait("Category", "Integration")]
public sealed class VideoReplayEndToEndTests
{
    [Fact]
    public async Task TestsrcVideo_ReplayedInRealTime_ArrivesAsAClipOfItsFrames()
    {
        using var dir = new TempDirectory("dce-video-e2e");
        var video = await MakeTestsrcAsync(dir.Combine("testsrc.mp4"));
        var triggers = dir.Combine("brake.yaml");
        await File.WriteAllTextAsync(triggers, """
            schemaVersion: 1
            version: 1
            description: Record around the controller's braking
            triggers:
              - id: controller-brakes
                when: held(primary.brake, 100ms)
                pre: 1s
                post: 500ms
                cooldown: 30s
                priority: 3
            """, TestContext.Current.CancellationToken);

        await using var agent = new DemoAgent(
            ("Agent:TriggerSetPath", triggers),
            ("Sources:Camera:Kind", "VideoFile"),
            ("Sources:Camera:Path", video),
            ("Sources:Camera:Width", "160"),
            ("Sources:Camera:Height", "120"),
            ("Sources:Camera:Pacing", "RealTime"),
            ("Sources:Synthetic:FirstEpisodeAt", "00:00:01.5"),
            ("Sources:Synthetic:ApproachDuration", "00:00:01"),
            ("Sources:SimulatedController:MissProbability", "0"));
        await agent.Host.StartAsync(TestContext.Current.CancellationToken);

        await agent.WaitForClipsAsync(1, TimeSpan.FromSeconds(30));
        await agent.Host.StopAsync(TestContext.Current.CancellationToken);

        var received = Assert.Single(agent.Received);
        await using var file = File.OpenRead(received.Path);
        var clip = new McapClipReader().Read(file);
        Assert.Equal("controller-brakes", Assert.Single(Assert.Single(clip.Events).Triggers).TriggerId);

        // 1.5 s of a 10 fps video, give or take a frame at each end; every one decodes at 160×120.
        Assert.InRange(clip.Frames.Count, 12, 17);
        Assert.All(clip.Frames, f => Assert.Equal((160, 120), (f.Width, f.Height)));
        using var first = SKBitmap.Decode(clip.Frames[0].Data.ToArray());
        Assert.Equal((160, 120), (first.Width, first.Height));
        Assert.Contains(clip.Signals, s => s.Name == "primary.brake" && s.Sample.Value.AsBool);
        Assert.True(agent.Metrics.FramesCaptured >= clip.Frames.Count);
    }

    private static async Task<string> MakeTestsrcAsync(string path)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-t", "8", "-c:v", "mpeg4", path })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"ffmpeg could not make the test video: {error}");
        return path;
    }
}

using System.Security.Cryptography;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Agent.Tests.EndToEnd;
using DataCentric.Edge.Agent.Tests.Install;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Inference.Activation;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Models;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Tests.Models;

/// <summary>
/// The activator as the agent composes it: a release swapped into the running demo names its hash
/// in every later clip, the next start of the agent loads it, and a crash loop brings back the
/// configured model with the reason for the transfer side's ack.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelActivationInAgentTests : IDisposable
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
        ("Sources:SimulatedController:MissedEpisodes:1", "1"),
        ("Sources:SimulatedController:MissedEpisodes:2", "2"),
        ("Sources:SimulatedController:MissedEpisodes:3", "3"),
        ("ModelReleases:ProbationFrames", "10"),
    ];

    private readonly TempDirectory _dir = new("dce-agent-release");

    [Fact]
    public async Task ReleaseSwappedIntoTheRunningAgent_IsNamedByTheStatusAndEveryLaterClip()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = new DemoAgent(Scene);
        var configured = Assert.Single(agent.Host.Services.GetRequiredService<IInferenceEngine>().Models).Sha256;
        await agent.Host.StartAsync(ct);
        var (release, file) = ObstacleDetectorRelease(2);

        var outcome = await agent.Host.Services.GetRequiredService<IModelActivator>().ActivateAsync(release, file, ct);

        Assert.True(outcome.Active, outcome.Message);
        Assert.NotEqual(configured, release.Sha256);
        Assert.Equal(release.Sha256, agent.Host.Services.GetRequiredService<ClipMetadata>().ModelSha256);
        Assert.Equal(release.Sha256, Assert.Single(agent.Host.Services.GetRequiredService<ShadowModelSet>().Models).Status.Model!.Sha256);
        var clipsBefore = agent.Received.Count;
        await agent.WaitForClipsAsync(clipsBefore + 1, TimeSpan.FromSeconds(40));
        await agent.Host.StopAsync(ct);

        var later = agent.Received.Skip(clipsBefore).ToList();
        Assert.NotEmpty(later);
        Assert.All(later, clip => Assert.Equal(release.Sha256, clip.Manifest.ModelSha256));
        Assert.True(agent.Metrics.FramesInferred > 0);
    }

    [Fact]
    public async Task NextStarts_LoadTheRelease_UntilItCrashLoops_ThenTheConfiguredModelIsBackWithTheReason()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = (Key: "Agent:DataDirectory", Value: _dir.Combine("data"));
        var (release, file) = ObstacleDetectorRelease(2);
        string configured;
        await using (var first = new DemoAgent([.. Scene, data]))
        {
            configured = Assert.Single(first.Host.Services.GetRequiredService<IInferenceEngine>().Models).Sha256;
            await first.Host.StartAsync(ct);
            Assert.True((await first.Host.Services.GetRequiredService<IModelActivator>().ActivateAsync(release, file, ct)).Active);
            await first.Host.StopAsync(ct);
        }

        // A planned restart (started and stopped cleanly) does not count towards the crash loop.
        await using (var planned = new DemoAgent([.. Scene, data]))
        {
            await planned.Host.StartAsync(ct);
            await planned.Host.StopAsync(ct);
            Assert.Equal(0, planned.Host.Services.GetRequiredService<ReleasedModels>().Store.Read("obstacle-detector").Pending!.Starts);
        }

        // Each start dies before the healthy period (5 minutes by default).
        for (var start = 1; start <= 3; start++)
        {
            await using var dying = new DemoAgent([.. Scene, data]);
            Assert.Equal(release.Sha256, Assert.Single(dying.Host.Services.GetRequiredService<IInferenceEngine>().Models).Sha256);
            Assert.Equal(2, dying.Host.Services.GetRequiredService<ReleasedModels>().ActiveOf("obstacle-detector")!.Version);
        }

        // The start that restores the configured model dies too, before its receiver could say so.
        await using (var restoring = new DemoAgent([.. Scene, data]))
        {
            Assert.Equal(configured, Assert.Single(restoring.Host.Services.GetRequiredService<IInferenceEngine>().Models).Sha256);
            var rollback = Assert.Single(restoring.Host.Services.GetRequiredService<ReleasedModels>().RestoredAtStart);
            Assert.Equal(("obstacle-detector", 2, release.Sha256, ModelActivationFailure.CrashLoop, 0), (rollback.Name, rollback.Version, rollback.Sha256, rollback.Outcome.Failure, rollback.ActiveVersion));
        }

        await using var restored = new DemoAgent([.. Scene, data]);
        Assert.Equal(configured, Assert.Single(restored.Host.Services.GetRequiredService<IInferenceEngine>().Models).Sha256);
        Assert.Equal(configured, restored.Host.Services.GetRequiredService<ClipMetadata>().ModelSha256);
        Assert.Null(restored.Host.Services.GetRequiredService<IModelActivator>().RunningOf("obstacle-detector"));

        // Started, the agent says so on the model's retained ack: rolled back, crash loop, the configured file runs.
        var acked = new TaskCompletionSource<ModelReleaseAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        restored.Host.Services.GetRequiredService<ModelReleaseReceiver>().Acks.Acked += a => acked.TrySetResult(a);
        await restored.Host.StartAsync(ct);
        var ack = await acked.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal(("obstacle-detector", 2, ModelReleaseStage.RolledBack, "crashLoop", 0), (ack.Name, ack.Version, ack.Stage, Assert.Single(ack.Reasons).Reason, ack.ActiveVersion));

        // Once the broker has it, it is not reported again.
        var released = restored.Host.Services.GetRequiredService<ReleasedModels>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (released.RestoredAtStart.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the rolled-back ack never reached the broker");
            await Task.Delay(50, ct);
        }

        await restored.Host.StopAsync(ct);
    }

    /// <summary>
    /// The shipped obstacle model with an unknown protobuf field appended (field 1000, varint 1):
    /// the same model under another hash, as a retrained candidate would arrive.
    /// </summary>
    private (ModelReleasePayload Release, string File) ObstacleDetectorRelease(int version)
    {
        var file = _dir.Combine($"obstacle-detector-v{version}.onnx");
        File.WriteAllBytes(file, [.. File.ReadAllBytes(Path.Combine(PublishedAgent.RepositoryRoot, "firmware-config", "models", "obstacle-detector.onnx")), 0xC0, 0x3E, 0x01]);
        var release = new ModelReleasePayload(
            "dce/v1", "demo", new TriggerSetTarget(TargetScope.Device, "device-1"), "obstacle-detector", version,
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), new FileInfo(file).Length, OnnxModelContract.Read(file), DateTimeOffset.UtcNow)
        {
            LatencyBudgetMs = 50,
        };
        return (release, file);
    }

    public void Dispose() => _dir.Dispose();
}

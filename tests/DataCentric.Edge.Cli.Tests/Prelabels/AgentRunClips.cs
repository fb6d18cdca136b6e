using DataCentric.Edge.Agent;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Cli.Tests.Prelabels;

/// <summary>
/// Clips from real agent runs in demo mode (rendered frames, ONNX Runtime, the trigger engine, the
/// recorder, the uplink and the receiver): one beside the demo's obstacle model runs the repo's
/// YOLOv8-shaped test detector (<c>shadow.boxes</c>), one runs the test classifier instead (no boxes).
/// Each agent runs until its first clip arrives; the runs are shared by the class's tests.
/// </summary>
public sealed class AgentRunClips : IAsyncLifetime
{
    private static readonly (string, string)[] Scene =
    [
        ("Sources:Synthetic:FirstEpisodeAt", "00:00:01.5"),
        ("Sources:Synthetic:EpisodePeriod", "00:00:03"),
        ("Sources:Synthetic:ApproachDuration", "00:00:01.5"),
        ("Sources:Synthetic:StandDuration", "00:00:00.6"),
        ("Sources:Synthetic:Width", "320"),
        ("Sources:Synthetic:Height", "240"),
        ("Sources:SimulatedController:MissedEpisodes:0", "0"),
    ];

    private static readonly (string, string)[] Detector =
    [
        ("Inference:Models:1:Name", "yolov8"),
        ("Inference:Models:1:ModelPath", RepositoryFiles.Path("firmware-config", "models", "test-yolov8.onnx")),
        ("Inference:Models:1:Input:Name", "images"),
        ("Inference:Models:1:Output:Kind", "Detection"),
        ("Inference:Models:1:Output:DetectionLayout", "YoloV8"),
        ("Inference:Models:1:Output:Tensor", "output0"),
    ];

    private static readonly (string, string)[] Classifier =
    [
        ("Inference:Models:1:Name", "classifier"),
        ("Inference:Models:1:ModelPath", RepositoryFiles.Path("firmware-config", "models", "test-classifier.onnx")),
        ("Inference:Models:1:Input:Name", "image"),
        ("Inference:Models:1:Output:Kind", "Classification"),
        ("Inference:Models:1:Output:Tensor", "logits"),
    ];

    private readonly TempDirectory _dir = new("dce-prelabels");

    /// <summary>A clip recorded with the detector running.</summary>
    public string DetectorClip { get; private set; } = string.Empty;

    /// <summary>A clip recorded with only the classifier and the obstacle regressor: no boxes signal.</summary>
    public string ClassifierClip { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        var detector = RunUntilFirstClipAsync("detector", [.. Scene, .. Detector]);
        var classifier = RunUntilFirstClipAsync("classifier", [.. Scene, .. Classifier]);
        DetectorClip = await detector;
        ClassifierClip = await classifier;
    }

    /// <summary>A copy of a recorded clip that a test may change or cut.</summary>
    public string CopyOf(string clip, string directory)
    {
        var copy = Path.Combine(directory, Path.GetFileName(clip));
        File.Copy(clip, copy);
        return copy;
    }

    private async Task<string> RunUntilFirstClipAsync(string name, (string Key, string Value)[] overrides)
    {
        var root = _dir.Combine(name);
        var commandLine = new AgentCommandLine(AgentMode.Demo, TimeSpan.FromHours(1), Path.Combine(root, "received"), null, Path.Combine(root, "data"));
        var configuration = AgentHost.BuildConfiguration(commandLine, overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value)));
        var errors = AgentConfiguration.Validate(configuration);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        using var output = new StringWriter();
        using var host = AgentHost.Build(commandLine, configuration, output);
        var arrived = new TaskCompletionSource<ReceivedClip>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<ClipReceiver>().ClipReceived += clip => arrived.TrySetResult(clip);
        await host.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var clip = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            var kept = Path.Combine(_dir.Path, $"{name}-{Path.GetFileName(clip.Path)}");
            File.Copy(clip.Path, kept);
            if (Environment.GetEnvironmentVariable("DCE_KEEP_AGENT_CLIPS") is { Length: > 0 } keep)
            {
                // For looking at a real clip by hand (Foxglove, tools/mcap-check).
                File.Copy(clip.Path, Path.Combine(Directory.CreateDirectory(keep).FullName, Path.GetFileName(kept)), overwrite: true);
            }

            return kept;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The tests that share one pair of agent runs.</summary>
[CollectionDefinition(Name)]
public sealed class AgentRunClipsCollection : ICollectionFixture<AgentRunClips>
{
    public const string Name = "agent-run clips";
}

using DataCentric.Edge.Agent;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Cli.Tests.Datasets;

/// <summary>
/// A real agent run in demo mode whose scene repeats itself for long stretches: the obstacle arrives
/// quickly and then stands still for seconds, so most frames of each clip look alike. Beside the demo's
/// obstacle model the repo's test classifier runs as the embedder (<c>shadow.embedding</c>, computed
/// from the pixels), and the controller misses every episode, so each one is a clip. The clips land in
/// the run's receiver folder with its <c>index.jsonl</c>: the local catalog <c>dataset build</c> reads.
/// </summary>
public sealed class RepeatedSceneClips : IAsyncLifetime
{
    public const int ClipCount = 3;

    private readonly TempDirectory _dir = new("dce-dataset-scene");

    public string Catalog => _dir.Combine("received");

    public async ValueTask InitializeAsync()
    {
        (string, string)[] settings =
        [
            ("Sources:Synthetic:FirstEpisodeAt", "00:00:01"),
            ("Sources:Synthetic:EpisodePeriod", "00:00:04"),
            ("Sources:Synthetic:ApproachDuration", "00:00:00.4"),
            ("Sources:Synthetic:StandDuration", "00:00:03"),
            ("Sources:Synthetic:Width", "320"),
            ("Sources:Synthetic:Height", "240"),
            ("Sources:SimulatedController:MissProbability", "1"),
            ("Inference:Models:1:Name", "embedder"),
            ("Inference:Models:1:ModelPath", RepositoryFiles.Path("firmware-config", "models", "test-classifier.onnx")),
            ("Inference:Models:1:Input:Name", "image"),
            ("Inference:Models:1:Output:Kind", "Embedding"),
            ("Inference:Models:1:Output:Tensor", "logits"),
        ];
        var commandLine = new AgentCommandLine(AgentMode.Demo, TimeSpan.FromHours(1), Catalog, null, _dir.Combine("data"));
        var configuration = AgentHost.BuildConfiguration(commandLine, settings.Select(o => new KeyValuePair<string, string?>(o.Item1, o.Item2)));
        var errors = AgentConfiguration.Validate(configuration);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        using var output = new StringWriter();
        using var host = AgentHost.Build(commandLine, configuration, output);
        var received = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<ClipReceiver>().ClipReceived += _ =>
        {
            if (Interlocked.Increment(ref received) >= ClipCount)
            {
                enough.TrySetResult();
            }
        };
        await host.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await enough.Task.WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
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

using System.Net;
using System.Net.Sockets;
using DataCentric.Edge.Agent;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.TestKit.Broker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Cli.Tests.Drives;

/// <summary>
/// Records a drive the way <c>dce-agent record</c> does: the agent's host in record mode on its run
/// configuration (the shipped appsettings.json: synthetic camera, simulated controller, the obstacle
/// model), plus three more real models (detector, regressor, embedder from firmware-config/models)
/// and <see cref="SimulatedBoardInputs"/> for the board inputs this machine has not got.
/// </summary>
internal static class AgentDrive
{
    public static async Task<string> RecordAsync(string folder, TimeSpan duration, bool frames, params (string Key, string Value)[] overrides)
    {
        var data = Path.Combine(folder, "agent-data");
        var commandLine = new AgentCommandLine(AgentMode.Record, duration, Path.Combine(folder, "drives"), null, data, KeepFrames: frames);
        var settings = new Dictionary<string, string?>
        {
            // Nothing listens here: the uplink retries quietly while the drive records.
            ["Uplink:Port"] = ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Inference:Models:1:Name"] = "detector",
            ["Inference:Models:1:ModelPath"] = RepositoryFiles.Path("firmware-config", "models", "test-yolov8.onnx"),
            ["Inference:Models:1:Input:Name"] = "images",
            ["Inference:Models:1:Output:Kind"] = "Detection",
            ["Inference:Models:1:Output:Tensor"] = "output0",
            ["Inference:Models:2:Name"] = "steering",
            ["Inference:Models:2:ModelPath"] = RepositoryFiles.Path("firmware-config", "models", "test-regressor.onnx"),
            ["Inference:Models:2:Input:Name"] = "image",
            ["Inference:Models:2:Output:Kind"] = "Regression",
            ["Inference:Models:2:Output:Scalars:steer"] = "shadow.steer",
            ["Inference:Models:3:Name"] = "embedder",
            ["Inference:Models:3:ModelPath"] = RepositoryFiles.Path("firmware-config", "models", "test-classifier.onnx"),
            ["Inference:Models:3:Input:Name"] = "image",
            ["Inference:Models:3:Output:Kind"] = "Embedding",
            ["Inference:Models:3:Output:Tensor"] = "logits",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var configuration = AgentHost.BuildConfiguration(commandLine, settings);
        var errors = AgentConfiguration.Validate(configuration);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        var output = new StringWriter();
        using (var host = AgentHost.Build(commandLine, configuration, TextWriter.Synchronized(output), services =>
            services.AddSingleton<ISignalSource>(sp => new SimulatedBoardInputs(sp.GetRequiredService<MonotonicClock>()))))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(duration + TimeSpan.FromSeconds(60));

            // Record mode stops the host itself once the drive is written.
            await host.RunAsync(timeout.Token);
        }

        var drive = Assert.Single(Directory.GetFiles(Path.Combine(folder, "drives"), "*.mcap"));
        Assert.Contains($"-> {drive}", output.ToString(), StringComparison.Ordinal);
        return drive;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Processes;

namespace DataCentric.Edge.Agent.Tests;

/// <summary>
/// ONNX Runtime's official Linux builds start their own telemetry with the first model: a device id and an event
/// store under $HOME/.cache/Microsoft/DeveloperTools/.onnxruntime, and uploads. The agent, as its own process with a
/// home of its own and none of the variables that make ONNX Runtime stay quiet by itself, must leave no trace there.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OnnxRuntimeTelemetryProcessTests
{
    // What ONNX Runtime 1.31 takes for a CI machine, where it collects nothing (its library's strings): removed, so
    // the agent sees what a device sees whatever machine runs this test.
    private static readonly string[] QuietingVariables =
    [
        "CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "CIRCLECI", "TRAVIS", "JENKINS_URL", "CODEBUILD_BUILD_ID",
        "BUILDKITE", "TEAMCITY_VERSION", "APPVEYOR", "BITBUCKET_BUILD_NUMBER", "ORT_RUNNING_UNIT_TESTS",
    ];

    [Fact]
    public async Task TheAgentRunsItsModel_AndOnnxRuntimeWritesNoDeviceIdOrEventStore()
    {
        using var home = new TempDirectory("dce-ort-home");
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home.Path,
            ["DCE_Logging__LogLevel__DataCentric"] = "Information",
            ["DOTNET_hostBuilder__reloadConfigOnChange"] = "false",
        };
        foreach (var name in QuietingVariables.Concat(OnnxRuntimeTelemetry.OptOutVariables))
        {
            environment[name] = null;
        }

        var (exit, output, error) = await DotnetApp.RunAsync(
            "dce-agent.dll", ["demo", "--duration", "3", "--data", home.Combine("data"), "--out", home.Combine("received")], environment,
            TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        var log = output + error;

        Assert.True(exit == 0, $"the demo exited {exit}:\n{log}");
        Assert.Contains("[4001] Shadow model", log, StringComparison.Ordinal);
        var telemetry = Path.Combine(home.Path, ".cache", "Microsoft", "DeveloperTools", ".onnxruntime");
        Assert.False(
            Directory.Exists(telemetry),
            $"ONNX Runtime wrote {string.Join(", ", Directory.Exists(telemetry) ? Directory.GetFiles(telemetry).Select(Path.GetFileName) : [])} under the agent's home");
    }
}

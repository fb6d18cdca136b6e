using System.Diagnostics;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.TestKit;

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
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "dce-agent.dll"), "demo", "--duration", "3", "--data", home.Combine("data"), "--out", home.Combine("received") })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = home.Path;
        start.Environment["DCE_Logging__LogLevel__DataCentric"] = "Information";
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        foreach (var name in QuietingVariables.Concat(OnnxRuntimeTelemetry.OptOutVariables))
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var log = await output + await error;

        Assert.True(process.ExitCode == 0, $"the demo exited {process.ExitCode}:\n{log}");
        Assert.Contains("[4001] Shadow model", log, StringComparison.Ordinal);
        var telemetry = Path.Combine(home.Path, ".cache", "Microsoft", "DeveloperTools", ".onnxruntime");
        Assert.False(
            Directory.Exists(telemetry),
            $"ONNX Runtime wrote {string.Join(", ", Directory.Exists(telemetry) ? Directory.GetFiles(telemetry).Select(Path.GetFileName) : [])} under the agent's home");
    }
}

using System.Diagnostics;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;

namespace DataCentric.Edge.Device.Tests.Inference.Runtime;

/// <summary>
/// The GPU flavour (OnnxRuntimeFlavour=gpu, what tools/publish.sh --gpu sets) restores in locked
/// mode against its own lock file and compiles against the CUDA package's managed API, in its own
/// obj folders: the default build's lock file and restore state are not touched. No GPU is needed
/// to build it; tools/bench/gpu-check.sh runs it on one.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GpuFlavourBuildTests
{
    [Fact]
    public async Task GpuFlavour_RestoresLocked_AndBuilds_AgainstTheCudaPackage()
    {
        var project = RepositoryFiles.Path("src", "DataCentric.Edge.Device", "DataCentric.Edge.Device.csproj");
        var defaultLock = RepositoryFiles.Path("src", "DataCentric.Edge.Device", "packages.lock.json");
        var gpuLock = RepositoryFiles.Path("src", "DataCentric.Edge.Device", "packages.gpu.lock.json");
        var locks = (await File.ReadAllTextAsync(defaultLock, TestContext.Current.CancellationToken), await File.ReadAllTextAsync(gpuLock, TestContext.Current.CancellationToken));
        using var artifacts = new TempDirectory();

        var (exitCode, output) = await DotnetAsync(
            "build", project, "-c", "Release", "-p:OnnxRuntimeFlavour=gpu", "-p:RestoreLockedMode=true", "--artifacts-path", artifacts.Path, "-nologo", "-v", "q");

        Assert.True(exitCode == 0, output);
        var assets = await File.ReadAllTextAsync(Path.Combine(artifacts.Path, "obj", "DataCentric.Edge.Device", "project.assets.json"), TestContext.Current.CancellationToken);
        Assert.Contains("\"Microsoft.ML.OnnxRuntime.Gpu.Linux/1.31.0\"", assets, StringComparison.Ordinal);
        Assert.Contains("runtimes/linux-x64/native/libonnxruntime_providers_cuda.so", assets, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Microsoft.ML.OnnxRuntime/", assets, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(artifacts.Path, "bin", "DataCentric.Edge.Device", "release", "DataCentric.Edge.Device.dll")));
        Assert.Equal(locks, (await File.ReadAllTextAsync(defaultLock, TestContext.Current.CancellationToken), await File.ReadAllTextAsync(gpuLock, TestContext.Current.CancellationToken)));
    }

    private static async Task<(int ExitCode, string Output)> DotnetAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild settings would point the child build at the test run's SDK state.
        foreach (var variable in new[] { "MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (child.ExitCode, await stdout + await stderr);
    }
}

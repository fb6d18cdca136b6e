using System.Diagnostics;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Device.Tests.Inference.Runtime;

/// <summary>
/// The board's own libonnxruntime.so through the configured path. A native-library resolver is set
/// once per process and only acts before ONNX Runtime's first call, which this test process has
/// long made: so the parent test runs the explicit child test below in a fresh process of this
/// test assembly, on a copy of the real library in another folder, and reads what it reports.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OnnxRuntimeLibraryInstallTests
{
    private const string LibraryVariable = "DCE_TEST_ORT_LIBRARY";
    private const string ReportVariable = "DCE_TEST_ORT_REPORT";

    [Fact]
    public async Task ConfiguredLibrary_IsTheOneLoaded_AndASecondOneIsRefusedByName()
    {
        using var dir = new TempDirectory();
        var board = dir.Combine("usr", "lib", "libonnxruntime.so");
        Directory.CreateDirectory(Path.GetDirectoryName(board)!);
        File.Copy(NativeLibraries.OnnxRuntime, board);
        var report = dir.Combine("report.txt");

        var (exitCode, output) = await RunChildAsync(nameof(Child_LoadsTheConfiguredLibrary), board, report);

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"Total: 1, Errors: 0, Failed: 0", output);
        var lines = await File.ReadAllLinesAsync(report, TestContext.Current.CancellationToken);
        Assert.Equal("1.31.1", lines[0]);
        Assert.Equal(board, lines[1]);
        Assert.Contains("CPUExecutionProvider", lines[2].Split(','));
        Assert.Equal(board, lines[3]);
        Assert.Equal($"ONNX Runtime library '{NativeLibraries.OnnxRuntime}' cannot be loaded: this process already runs ONNX Runtime from '{board}' (one library per process)", lines[4]);
    }

    /// <summary>Run only by the test above, in its own process (explicit: never in a normal test run).</summary>
    [Fact(Explicit = true)]
    public void Child_LoadsTheConfiguredLibrary()
    {
        var library = Environment.GetEnvironmentVariable(LibraryVariable) ?? throw new InvalidOperationException($"{LibraryVariable} is not set");
        var report = Environment.GetEnvironmentVariable(ReportVariable) ?? throw new InvalidOperationException($"{ReportVariable} is not set");
        var options = new InferenceOptions { Runtime = { LibraryPath = library } };
        options.Models.Add(TestModels.Classifier());

        using var set = ShadowModelSet.Load(options, AppContext.BaseDirectory, NullLogger<ShadowModelSet>.Instance);

        Assert.True(set.Models[0].Status.Running, set.Models[0].Status.ToString());
        var runtime = Assert.IsType<OnnxRuntimeInfo>(set.Runtime);

        // Only the configured copy is mapped into the process, not the library published beside the tests.
        var mapped = File.ReadLines("/proc/self/maps")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && f[5].EndsWith("/libonnxruntime.so", StringComparison.Ordinal))
            .Select(f => f[5])
            .Distinct()
            .ToList();
        var second = Assert.Throws<OnnxRuntimeLibraryException>(() => OnnxRuntimeLibrary.Install(NativeLibraries.OnnxRuntime));
        File.WriteAllLines(report, [runtime.Version, runtime.LibraryPath ?? "none", string.Join(",", runtime.Providers), string.Join(";", mapped), second.Message]);
    }

    private static async Task<(int ExitCode, string Output)> RunChildAsync(string test, string library, string report)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "exec", typeof(OnnxRuntimeLibraryInstallTests).Assembly.Location, "-method", $"{typeof(OnnxRuntimeLibraryInstallTests).FullName}.{test}", "-explicit", "only" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[LibraryVariable] = library;
        start.Environment[ReportVariable] = report;
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (child.ExitCode, await stdout + await stderr);
    }
}

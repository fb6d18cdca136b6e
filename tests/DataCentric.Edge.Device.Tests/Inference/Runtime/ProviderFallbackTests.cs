using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Device.Tests.Inference.Runtime;

/// <summary>
/// A model asks for accelerators in order; on this machine (the CPU build of ONNX Runtime, no GPU)
/// it falls back to the CPU, logged once with the reason and shown on its status, never silently.
/// A configured native library that is not usable stops every model with its name, not the agent.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProviderFallbackTests
{
    [Fact]
    public void CudaRequested_FallsBackToCpu_LoggedOnce_WithTheReasonOnTheStatus()
    {
        var options = new InferenceOptions();
        var model = TestModels.Classifier();
        model.ExecutionProviders.Add(ModelExecutionProvider.TensorRt);
        model.ExecutionProviders.Add(ModelExecutionProvider.Cuda);
        options.Models.Add(model);
        var plain = TestModels.Regressor();
        options.Models.Add(plain);
        var logger = new CapturingLogger<ShadowModelSet>();

        using var set = ShadowModelSet.Load(options, AppContext.BaseDirectory, logger);

        var status = set.Models[0].Status;
        Assert.True(status.Running, status.ToString());
        Assert.Equal("Cpu", status.Provider);
        Assert.Equal(
            "TensorRt requested but this ONNX Runtime build has only CPUExecutionProvider; using the next provider; "
            + "Cuda requested but this ONNX Runtime build has only CPUExecutionProvider; using the next provider",
            status.ProviderFallback);
        var fallback = Assert.Single(logger.Entries, e => e.EventId == 4003);
        Assert.Equal(LogLevel.Warning, fallback.Level);
        Assert.Equal($"Shadow model classifier runs on Cpu: {status.ProviderFallback}", fallback.Message);

        // A model that asks for nothing runs on the CPU with no fallback to report.
        Assert.Equal("Cpu", set.Models[1].Status.Provider);
        Assert.Null(set.Models[1].Status.ProviderFallback);

        // What the runtime really offers is in the log and on the set (the device status reads it there).
        Assert.Equal(["CPUExecutionProvider"], set.Runtime!.Providers);
        Assert.Null(set.Runtime.LibraryPath);
        var runtime = Assert.Single(logger.Entries, e => e.EventId == 4005);
        Assert.Equal("ONNX Runtime 1.31.1 (published with the agent); execution providers: CPUExecutionProvider", runtime.Message);
    }

    [Fact]
    public void UnusableConfiguredLibrary_StopsEveryModel_WithItsName_NotTheAgent()
    {
        using var dir = new TempDirectory();
        var options = new InferenceOptions { Runtime = { LibraryPath = NativeLibraries.NotOnnxRuntime } };
        options.Models.Add(TestModels.Classifier());
        options.Models.Add(TestModels.Regressor());
        var logger = new CapturingLogger<ShadowModelSet>();

        using var set = ShadowModelSet.Load(options, AppContext.BaseDirectory, logger);

        Assert.Null(set.Runtime);
        Assert.All(set.Models, m =>
        {
            Assert.Null(m.Engine);
            Assert.Equal($"ONNX Runtime library '{NativeLibraries.NotOnnxRuntime}' (Inference:Runtime:LibraryPath): is not ONNX Runtime (it has no OrtGetApiBase); the agent's managed API is 1.31.1", m.Status.Failure);
        });
        Assert.Equal(["shadow.class", "shadow.score", "shadow.steer", "shadow.throttle"], set.Outputs.Select(o => o.Name));
        var error = Assert.Single(logger.Entries, e => e.EventId == 4006);
        Assert.Equal(LogLevel.Error, error.Level);
    }
}

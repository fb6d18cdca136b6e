using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Inference.Activation;
using DataCentric.Edge.Device.Tests.Inference.Quantization;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Device.Tests.Inference.Activation;

/// <summary>
/// The real embedder: ResNet18 (float) running, an int8 ResNet18 from tools/Quantize as the release,
/// and memory limits that are too small for a second ResNet18 beside the first. Not run in parallel
/// with other tests: the resident-memory figures would mix in theirs.
/// </summary>
[Trait("Category", "Integration")]
[Collection(ResidentMemoryCollection.Name)]
public sealed class ResNet18ReleaseTests(QuantizedResNet18 quantized) : IClassFixture<QuantizedResNet18>, IDisposable
{
    private readonly TempDirectory _dir = new("dce-resnet-release");

    private string StateDirectory => _dir.Combine("state");

    [Fact]
    public async Task Int8Release_ReplacesTheFloatModel_WithinAMemoryLimitThatFitsBoth()
    {
        var ct = TestContext.Current.CancellationToken;
        var limit = Environment.WorkingSet + (1024L * 1024 * 1024);
        await using var agent = new ActivationHarness(ResNet18.EmbedderOptions(), ActivationHarness.DefaultSettings(StateDirectory, probationFrames: 5, memoryLimitBytes: limit));
        agent.StartFrames(period: TimeSpan.FromMilliseconds(20));
        var file = _dir.Combine("resnet18-int8.onnx");
        File.Copy(quantized.Path, file);
        var release = ScorerModels.Release(file, 2, latencyBudgetMs: 1000, name: "resnet18");

        var outcome = await agent.Activator.ActivateAsync(release, file, ct);

        Assert.True(outcome.Active, outcome.Message);
        Assert.Equal(release.Sha256, agent.RunningSha256);
        Assert.Equal(5, outcome.Probation!.Frames);
        Assert.Equal(limit, outcome.Probation.MemoryLimitBytes);
        Assert.InRange(outcome.Probation.ResidentBytes, 1, limit);
        var inferredBefore = agent.Model.Status.FramesInferred;
        await WaitUntilAsync(() => agent.Model.Status.FramesInferred > inferredBefore + 3);
    }

    [Fact]
    public async Task ReleaseThatCannotFitBesideTheRunningModel_IsRefusedBeforeLoading_WithTheFigures()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = new ActivationHarness(ResNet18.EmbedderOptions(), ActivationHarness.DefaultSettings(StateDirectory));
        var engine = agent.Model.Engine;
        var file = DistinctCopyOfResNet18();
        var release = ScorerModels.Release(file, 2, name: "resnet18");
        using var activator = agent.ActivatorWith(agent.Settings with { MemoryLimitBytes = SettledResidentBytes() + (1024L * 1024) });
        var size = new FileInfo(file).Length;

        var outcome = await activator.ActivateAsync(release, file, ct);

        Assert.Equal(ModelActivationFailure.OverMemoryLimit, outcome.Failure);
        Assert.Matches(
            $@"^loading version 2 \({UnitMemoryLimit.Mib(size)}\) beside the running model needs about {UnitMemoryLimit.Mib(2 * size)} \(2 × the file\) on top of the [0-9.]+ MiB resident now: [0-9.]+ MiB > the [0-9.]+ MiB limit \(ModelReleases:MemoryLimitBytes\)$",
            outcome.Message);
        Assert.Same(engine, agent.Model.Engine);
        Assert.Null(agent.Released.ActiveOf("resnet18"));
    }

    [Fact]
    public async Task ReleaseThatTurnsOutTooLargeOnceLoaded_IsRefused_WithTheMeasuredFigures()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = new ActivationHarness(ResNet18.EmbedderOptions(), ActivationHarness.DefaultSettings(StateDirectory));
        var engine = agent.Model.Engine;
        var file = DistinctCopyOfResNet18();
        var release = ScorerModels.Release(file, 2, name: "resnet18");

        // No estimate: the load goes ahead and the resident memory measured after it decides.
        using var activator = agent.ActivatorWith(agent.Settings with { MemoryLimitBytes = SettledResidentBytes() + (8L * 1024 * 1024), LoadCostFactor = 0 });
        var outcome = await activator.ActivateAsync(release, file, ct);

        Assert.Equal(ModelActivationFailure.OverMemoryLimit, outcome.Failure);
        Assert.Matches(@"^with version 2 loaded beside the running model the agent uses [0-9.]+ MiB \(was [0-9.]+ MiB\): over the [0-9.]+ MiB limit \(ModelReleases:MemoryLimitBytes\)$", outcome.Message);
        Assert.Same(engine, agent.Model.Engine);
        Assert.Empty(Directory.GetFiles(agent.Released.Store.DirectoryOf("resnet18")));
    }

    /// <summary>ResNet18 with an unknown protobuf field appended (field 1000, varint 1): the same model, another hash.</summary>
    private string DistinctCopyOfResNet18()
    {
        var file = _dir.Combine("resnet18-v2.onnx");
        File.Copy(ResNet18.OnnxPath, file);
        using var stream = new FileStream(file, FileMode.Append);
        stream.Write([0xC0, 0x3E, 0x01]);
        return file;
    }

    /// <summary>Resident memory once garbage (the quantizer's, the contract read's ONNX Runtime transients) is returned, so only the load adds to it.</summary>
    private static long SettledResidentBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        NativeHeap.Trim();
        return Environment.WorkingSet;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResidentMemoryCollection
{
    public const string Name = "Resident memory";
}

using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference.Activation;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Device.Tests.Inference.Activation;

/// <summary>
/// A verified release put into service beside a running model with frames flowing: accepted and
/// swapped, or refused with the reason while the running model carries on untouched.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelActivatorTests : IDisposable
{
    private const byte Grey = 200;
    private static readonly double Brightness = Grey / 255.0;
    private readonly TempDirectory _dir = new("dce-activation");

    private string StateDirectory => _dir.Combine("state");

    [Fact]
    public async Task Release_IsSwappedIn_WhileFramesFlow_NoFrameLostBeyondTheQueueDrops()
    {
        var ct = TestContext.Current.CancellationToken;
        var configured = ScorerModels.Write(_dir.Combine("v1.onnx"), ScorerModels.Brightness(1f));
        await using var agent = new ActivationHarness(StateDirectory, configured);
        var configuredSha = agent.RunningSha256;
        agent.StartFrames(Grey);
        await agent.WaitForScoreAsync(v => Math.Abs(v - Brightness) < 0.01, TimeSpan.FromSeconds(10));

        var file = ScorerModels.Write(_dir.Combine("download.onnx"), ScorerModels.Brightness(2f));
        var release = ScorerModels.Release(file, version: 2);
        var outcome = await agent.Activator.ActivateAsync(release, file, ct);

        Assert.True(outcome.Active, outcome.Message);
        Assert.Null(outcome.Failure);
        Assert.Equal(agent.Settings.ProbationFrames, outcome.Probation!.Frames);
        Assert.Equal(0, outcome.Probation.Errors);
        Assert.Equal(release.Sha256, agent.RunningSha256);
        Assert.Equal(release.Sha256, Assert.Single(((IInferenceEngine)agent.Set).Models).Sha256);

        // The signal carries on, now from the release (twice the brightness).
        await agent.WaitForScoreAsync(v => Math.Abs(v - (2 * Brightness)) < 0.01, TimeSpan.FromSeconds(10));
        var offered = await agent.StopAsync();
        var status = agent.Model.Status;
        Assert.Equal(offered, status.FramesInferred + status.FramesDropped);
        Assert.Equal(0, status.Errors);

        // Recorded for the next start, the previous (configured) file kept, the download moved in.
        var state = agent.Released.Store.Read(ScorerModels.Name);
        Assert.Equal(2, state.Active!.Version);
        Assert.Null(state.Previous);
        Assert.Equal(0, state.Pending!.Starts);
        Assert.True(agent.Released.Store.IsIntact(ScorerModels.Name, state.Active, out _));
        Assert.False(File.Exists(file));
        Assert.True(File.Exists(configured));
        Assert.NotEqual(configuredSha, release.Sha256);
    }

    [Fact]
    public async Task ModelWhoseContractDoesNotFit_IsRefusedAsLoadFailed_TheRunningModelUntouched()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = new ActivationHarness(StateDirectory, ScorerModels.Write(_dir.Combine("v1.onnx"), ScorerModels.Brightness(1f)));
        var engine = agent.Model.Engine;
        var file = _dir.Combine("classifier.onnx");
        File.Copy(TestModels.Path("test-classifier.onnx"), file);

        var outcome = await agent.Activator.ActivateAsync(ScorerModels.Release(file, version: 2), file, ct);

        Assert.False(outcome.Active);
        Assert.Equal(ModelActivationFailure.LoadFailed, outcome.Failure);
        Assert.Equal(
            "version 2 does not fit model 'scorer' as configured: no output named 'score', which the Regression adapter reads; the model has 'logits' float[1,4]",
            outcome.Message);
        AssertUntouched(agent, engine);
    }

    [Fact]
    public async Task FileThatIsNoOnnxModel_IsRefusedAsLoadFailed_TheRunningModelUntouched()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = new ActivationHarness(StateDirectory, ScorerModels.Write(_dir.Combine("v1.onnx"), ScorerModels.Brightness(1f)));
        agent.StartFrames(Grey);
        var engine = agent.Model.Engine;
        var file = _dir.Combine("not-a-model.onnx");
        await File.WriteAllTextAsync(file, "this is not a protobuf", ct);
        var release = ScorerModels.Release(file, 2, ScorerModels.Contract, "0badc0de");

        var outcome = await agent.Activator.ActivateAsync(release, file, ct);

        Assert.Equal(ModelActivationFailure.LoadFailed, outcome.Failure);
        Assert.Contains("cannot load", outcome.Message, StringComparison.Ordinal);
        AssertUntouched(agent, engine);
        await agent.WaitForScoreAsync(v => Math.Abs(v - Brightness) < 0.01, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ReleaseForAModelNotConfigured_IsRefusedAsLoadFailed()
    {
        await using var agent = new ActivationHarness(StateDirectory, ScorerModels.Write(_dir.Combine("v1.onnx"), ScorerModels.Brightness(1f)));
        var file = ScorerModels.Write(_dir.Combine("other.onnx"), ScorerModels.Brightness(2f));

        var outcome = await agent.Activator.ActivateAsync(ScorerModels.Release(file, 2, name: "detector"), file, TestContext.Current.CancellationToken);

        Assert.Equal(ModelActivationFailure.LoadFailed, outcome.Failure);
        Assert.Equal("no model named 'detector' is configured under Inference:Models (configured: scorer)", outcome.Message);
    }

    [Fact]
    public async Task ReleaseWhoseFileIsGone_IsRefusedAsLoadFailed()
    {
        await using var agent = new ActivationHarness(StateDirectory, ScorerModels.Write(_dir.Combine("v1.onnx"), ScorerModels.Brightness(1f)));
        var engine = agent.Model.Engine;
        var file = ScorerModels.Write(_dir.Combine("v2.onnx"), ScorerModels.Brightness(2f));
        var release = ScorerModels.Release(file, 2);
        File.Delete(file);

        var outcome = await agent.Activator.ActivateAsync(release, file, TestContext.Current.CancellationToken);

        Assert.Equal(ModelActivationFailure.LoadFailed, outcome.Failure);
        Assert.Equal($"the release's file {file} does not exist", outcome.Message);
        AssertUntouched(agent, engine);
    }

    [Fact]
    public async Task TheActiveReleaseAgain_IsAcceptedAsItIs_WithoutAnotherSwap()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = new ActivationHarness(StateDirectory, ScorerModels.Write(_dir.Combine("v1.onnx"), ScorerModels.Brightness(1f)));
        agent.StartFrames(Grey);
        var file = ScorerModels.Write(_dir.Combine("v2.onnx"), ScorerModels.Brightness(2f));
        var release = ScorerModels.Release(file, 2);
        Assert.True((await agent.Activator.ActivateAsync(release, file, ct)).Active);
        var engine = agent.Model.Engine;
        var again = ScorerModels.Write(_dir.Combine("v2-again.onnx"), ScorerModels.Brightness(2f));

        var outcome = await agent.Activator.ActivateAsync(release, again, ct);

        Assert.Equal(new ModelActivationOutcome(true, null, "version 2 of model 'scorer' is already active", null), outcome);
        Assert.Same(engine, agent.Model.Engine);
    }

    [Fact]
    public async Task ModelFarOverItsLatencyBudget_FailsProbation_AsOverLatencyBudget()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = new ActivationHarness(StateDirectory, ScorerModels.Write(_dir.Combine("v1.onnx"), ScorerModels.Brightness(1f)));
        agent.StartFrames(Grey);
        var engine = agent.Model.Engine;
        var file = ScorerModels.Write(_dir.Combine("slow.onnx"), ScorerModels.Slow(matMuls: 12));

        var outcome = await agent.Activator.ActivateAsync(ScorerModels.Release(file, 2, latencyBudgetMs: 1), file, ct);

        Assert.Equal(ModelActivationFailure.OverLatencyBudget, outcome.Failure);
        Assert.Matches(@"^version 2 failed probation: p95 latency [0-9.]+ ms \(p50 [0-9.]+ ms\) over 10 frames exceeds the budget of 1 ms on test-board × 1\.5 tolerance$", outcome.Message);
        Assert.True(outcome.Probation!.LatencyP95Ms > 1.5);
        Assert.Equal(10, outcome.Probation.Frames);
        AssertUntouched(agent, engine);
    }

    [Fact]
    public async Task ModelThatFailsOnRealFrames_FailsProbation_AsProbationErrors()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = new ActivationHarness(StateDirectory, ScorerModels.Write(_dir.Combine("v1.onnx"), ScorerModels.Brightness(1f)));
        agent.StartFrames(Grey);
        var engine = agent.Model.Engine;
        var file = ScorerModels.Write(_dir.Combine("fails.onnx"), ScorerModels.FailsOnBrightFrames());

        var outcome = await agent.Activator.ActivateAsync(ScorerModels.Release(file, 2), file, ct);

        Assert.Equal(ModelActivationFailure.ProbationErrors, outcome.Failure);
        Assert.StartsWith("version 2 failed probation: 10 of 10 runs failed, the first with: ", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(10, outcome.Probation!.Errors);
        AssertUntouched(agent, engine);
        Assert.Equal(0, agent.Model.Status.Errors);
    }

    [Fact]
    public async Task NoFramesWithinTheProbationTimeout_IsRefused_WithHowManyArrived()
    {
        var settings = ActivationHarness.DefaultSettings(StateDirectory) with { ProbationTimeout = TimeSpan.FromMilliseconds(300) };
        await using var agent = new ActivationHarness(StateDirectory, ScorerModels.Write(_dir.Combine("v1.onnx"), ScorerModels.Brightness(1f)), settings);
        var engine = agent.Model.Engine;
        var file = ScorerModels.Write(_dir.Combine("v2.onnx"), ScorerModels.Brightness(2f));

        var outcome = await agent.Activator.ActivateAsync(ScorerModels.Release(file, 2), file, TestContext.Current.CancellationToken);

        Assert.Equal(ModelActivationFailure.ProbationErrors, outcome.Failure);
        Assert.Equal("version 2 failed probation: only 0 of 10 frames arrived for probation within 00:00:00.3000000", outcome.Message);
        AssertUntouched(agent, engine);
    }

    [Fact]
    public async Task RollBack_PutsThePreviousModelBack_ThenThereIsNothingLeftToRollBack()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = new ActivationHarness(StateDirectory, ScorerModels.Write(_dir.Combine("v1.onnx"), ScorerModels.Brightness(1f)));
        var configuredSha = agent.RunningSha256;
        agent.StartFrames(Grey);
        var v2 = ScorerModels.Write(_dir.Combine("v2.onnx"), ScorerModels.Brightness(2f));
        var release2 = ScorerModels.Release(v2, 2);
        Assert.True((await agent.Activator.ActivateAsync(release2, v2, ct)).Active);
        var v3 = ScorerModels.Write(_dir.Combine("v3.onnx"), ScorerModels.Brightness(3f));
        var release3 = ScorerModels.Release(v3, 3);
        Assert.True((await agent.Activator.ActivateAsync(release3, v3, ct)).Active);
        await agent.WaitForScoreAsync(v => Math.Abs(v - (3 * Brightness)) < 0.01, TimeSpan.FromSeconds(10));

        var back = await agent.Activator.RollBackAsync(ScorerModels.Name, ct);

        Assert.True(back.Active, back.Message);
        Assert.Equal("model 'scorer' rolled back from version 3 to version 2", back.Message);
        Assert.Equal(release2.Sha256, agent.RunningSha256);
        await agent.WaitForScoreAsync(v => Math.Abs(v - (2 * Brightness)) < 0.01, TimeSpan.FromSeconds(10));
        var state = agent.Released.Store.Read(ScorerModels.Name);
        Assert.Equal(2, state.Active!.Version);
        Assert.Null(state.Previous);
        Assert.Null(state.Pending);
        Assert.Equal(["state.json", state.Active.FileName], Directory.GetFiles(agent.Released.Store.DirectoryOf(ScorerModels.Name)).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var toConfigured = await agent.Activator.RollBackAsync(ScorerModels.Name, ct);
        Assert.Equal("model 'scorer' rolled back from version 2 to the configured file", toConfigured.Message);
        Assert.Equal(configuredSha, agent.RunningSha256);

        var nothing = await agent.Activator.RollBackAsync(ScorerModels.Name, ct);
        Assert.False(nothing.Active);
        Assert.Null(nothing.Failure);
        Assert.Equal("model 'scorer' runs its configured file: there is no earlier model to go back to", nothing.Message);
        Assert.Equal(configuredSha, agent.RunningSha256);
    }

    private static void AssertUntouched(ActivationHarness agent, object? engine)
    {
        Assert.Same(engine, agent.Model.Engine);
        Assert.True(agent.Model.Status.Running);
        Assert.Null(agent.Released.ActiveOf(ScorerModels.Name));
        Assert.False(File.Exists(agent.Released.Store.StatePathOf(ScorerModels.Name)));
        var folder = agent.Released.Store.DirectoryOf(ScorerModels.Name);
        Assert.Empty(Directory.Exists(folder) ? Directory.GetFiles(folder) : []);
    }

    public void Dispose() => _dir.Dispose();
}

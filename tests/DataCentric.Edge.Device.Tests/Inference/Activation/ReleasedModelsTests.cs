using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference.Activation;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Device.Tests.Inference.Activation;

/// <summary>
/// What the next start runs after a swap: the released file, the previous model after a crash
/// loop, and the previous or configured model when power loss left a torn state or file behind.
/// Each "start" is a fresh <see cref="ActivationHarness"/> on the same state directory.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReleasedModelsTests : IDisposable
{
    private readonly TempDirectory _dir = new("dce-released");
    private readonly string _configured;
    private readonly string _configuredSha;

    public ReleasedModelsTests()
    {
        _configured = ScorerModels.Write(_dir.Combine("configured.onnx"), ScorerModels.Brightness(1f));
        _configuredSha = ScorerModels.Release(_configured, 1).Sha256;
    }

    private string StateDirectory => _dir.Combine("state");

    [Fact]
    public async Task NextStart_RunsTheReleasedModel_AndCountsTheStartUntilItSurvives()
    {
        var release = await SwapInAsync(2, 2f);

        await using (var second = Start())
        {
            Assert.Equal(release.Sha256, second.RunningSha256);
            Assert.Empty(second.Released.RestoredAtStart);
            Assert.Equal(1, second.Released.Store.Read(ScorerModels.Name).Pending!.Starts);
            Assert.Contains(second.StartLog.Lines, l => l.Id.Id == 4100 && l.Message == $"Shadow model scorer runs its released version 2 (sha256 {release.Sha256})");

            // Staying up the healthy period proves the release: later starts no longer count.
            second.Time.Advance(second.Settings.HealthyAfter);
            Assert.Null(second.Released.Store.Read(ScorerModels.Name).Pending);
        }

        for (var i = 0; i < 5; i++)
        {
            await using var later = Start();
            Assert.Equal(release.Sha256, later.RunningSha256);
            Assert.Empty(later.Released.RestoredAtStart);
        }
    }

    [Fact]
    public async Task ReleaseThatKeepsDying_IsReplacedByThePreviousModel_AtTheStartAfterTheLastAllowed()
    {
        var release = await SwapInAsync(2, 2f);

        // The agent dies before the healthy period, CrashLoopStarts times in a row.
        for (var start = 1; start <= 3; start++)
        {
            await using var dying = Start();
            Assert.Equal(release.Sha256, dying.RunningSha256);
            Assert.Equal(start, dying.Released.Store.Read(ScorerModels.Name).Pending!.Starts);
        }

        await using var restored = Start();

        Assert.Equal(_configuredSha, restored.RunningSha256);
        var rollback = Assert.Single(restored.Released.RestoredAtStart);
        Assert.Equal((ScorerModels.Name, 2, release.Sha256, 0, (string?)null), (rollback.Name, rollback.Version, rollback.Sha256, rollback.ActiveVersion, rollback.ActiveSha256));
        Assert.False(rollback.Outcome.Active);
        Assert.Equal(ModelActivationFailure.CrashLoop, rollback.Outcome.Failure);
        Assert.StartsWith("the agent started 3 times since version 2 of model 'scorer' was swapped in at ", rollback.Outcome.Message, StringComparison.Ordinal);
        Assert.Contains(restored.StartLog.Lines, l => l.Level == LogLevel.Error && l.Id.Id == 4102);
        var state = restored.Released.Store.Read(ScorerModels.Name);
        Assert.Equal(new ModelReleaseState(ScorerModels.Name, null, null, null) { UnreportedRollbacks = [rollback] }, state);
        Assert.Equal(["state.json"], Directory.GetFiles(restored.Released.Store.DirectoryOf(ScorerModels.Name)).Select(Path.GetFileName));
    }

    [Fact]
    public async Task RollbackAtStart_IsKeptAcrossStartsThatDieBeforeReportingIt_AndDroppedOnceReported()
    {
        await SwapInAsync(2, 2f);
        for (var start = 1; start <= 3; start++)
        {
            await using var dying = Start();
        }

        ModelStartupRollback rollback;
        await using (var restoring = Start())
        {
            rollback = Assert.Single(restoring.Released.RestoredAtStart);
        }

        // That start died before its ack went out: the next one still has it to report.
        await using (var next = Start())
        {
            Assert.Equal(_configuredSha, next.RunningSha256);
            Assert.Equal(rollback, Assert.Single(next.Released.RestoredAtStart));
            Assert.Equal(rollback, Assert.Single(next.Activator.UnreportedStartupRollbacks()));
            next.Activator.StartupRollbackReported(rollback);
            Assert.Empty(next.Released.RestoredAtStart);
        }

        await using var after = Start();
        Assert.Equal(_configuredSha, after.RunningSha256);
        Assert.Empty(after.Released.RestoredAtStart);
        Assert.Equal(new ModelReleaseState(ScorerModels.Name, null, null, null), after.Released.Store.Read(ScorerModels.Name));
    }

    [Fact]
    public async Task CleanStops_DoNotCountTowardsTheCrashLoop_ButStartsThatDieStillDo()
    {
        var release = await SwapInAsync(2, 2f);

        // Planned restarts within the healthy period: each start counts, its clean stop takes it back.
        for (var restart = 1; restart <= 5; restart++)
        {
            await using var planned = Start();
            Assert.Equal(release.Sha256, planned.RunningSha256);
            Assert.Equal(1, planned.Released.Store.Read(ScorerModels.Name).Pending!.Starts);
            planned.Released.StoppedCleanly();
            Assert.Equal(0, planned.Released.Store.Read(ScorerModels.Name).Pending!.Starts);
            Assert.Contains(planned.StartLog.Lines, l => l.Id.Id == 4107);
        }

        for (var start = 1; start <= 3; start++)
        {
            await using var dying = Start();
            Assert.Equal(release.Sha256, dying.RunningSha256);
            Assert.Equal(start, dying.Released.Store.Read(ScorerModels.Name).Pending!.Starts);
        }

        await using var restored = Start();
        Assert.Equal(_configuredSha, restored.RunningSha256);
        Assert.Equal(ModelActivationFailure.CrashLoop, Assert.Single(restored.Released.RestoredAtStart).Outcome.Failure);
    }

    [Fact]
    public async Task CrashLoopAfterASecondRelease_RestoresTheFirstRelease()
    {
        var first = await SwapInAsync(2, 2f, survive: true);
        var second = await SwapInAsync(3, 3f);
        for (var start = 1; start <= 3; start++)
        {
            await using var dying = Start();
            Assert.Equal(second.Sha256, dying.RunningSha256);
        }

        await using var restored = Start();

        Assert.Equal(first.Sha256, restored.RunningSha256);
        var rollback = Assert.Single(restored.Released.RestoredAtStart);
        Assert.Equal((3, 2, first.Sha256), (rollback.Version, rollback.ActiveVersion, rollback.ActiveSha256));
    }

    [Fact]
    public async Task TornStateFile_StartsTheConfiguredModel_SaysSo_AndKeepsTheDamagedFile()
    {
        await SwapInAsync(2, 2f);
        var statePath = new ModelReleaseStore(StateDirectory).StatePathOf(ScorerModels.Name);
        var whole = await File.ReadAllBytesAsync(statePath, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(statePath, whole[..(whole.Length / 2)], TestContext.Current.CancellationToken);

        await using var next = Start();

        Assert.Equal(_configuredSha, next.RunningSha256);
        var line = Assert.Single(next.StartLog.Lines, l => l.Id.Id == 4103);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.StartsWith($"Shadow model scorer: release state unreadable ({statePath}: not a model release state (", line.Message, StringComparison.Ordinal);
        Assert.EndsWith($"running the configured model file. The damaged state was kept as {statePath}.damaged", line.Message, StringComparison.Ordinal);
        Assert.Equal(whole[..(whole.Length / 2)], await File.ReadAllBytesAsync(statePath + ".damaged", TestContext.Current.CancellationToken));
        Assert.Equal(new ModelReleaseState(ScorerModels.Name, null, null, null), next.Released.Store.Read(ScorerModels.Name));
    }

    [Fact]
    public async Task MissingReleasedFile_FallsBackToThePreviousRelease_AndReportsIt()
    {
        var first = await SwapInAsync(2, 2f, survive: true);
        var second = await SwapInAsync(3, 3f, survive: true);
        var store = new ModelReleaseStore(StateDirectory);
        var state = store.Read(ScorerModels.Name);
        File.Delete(store.PathOf(ScorerModels.Name, state.Active!));

        await using var next = Start();

        Assert.Equal(first.Sha256, next.RunningSha256);
        var rollback = Assert.Single(next.Released.RestoredAtStart);
        Assert.Equal((3, second.Sha256, ModelActivationFailure.LoadFailed, 2), (rollback.Version, rollback.Sha256, rollback.Outcome.Failure, rollback.ActiveVersion));
        Assert.Contains($"{store.PathOf(ScorerModels.Name, state.Active!)} is missing", rollback.Outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TornReleasedFile_FallsBackToTheConfiguredModel()
    {
        await SwapInAsync(2, 2f);
        var store = new ModelReleaseStore(StateDirectory);
        var path = store.PathOf(ScorerModels.Name, store.Read(ScorerModels.Name).Active!);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length - 7)], TestContext.Current.CancellationToken);

        await using var next = Start();

        Assert.Equal(_configuredSha, next.RunningSha256);
        var rollback = Assert.Single(next.Released.RestoredAtStart);
        Assert.Contains($"{path} has SHA-256 ", rollback.Outcome.Message, StringComparison.Ordinal);
        Assert.Contains(next.StartLog.Lines, l => l.Id.Id == 4102 && l.Message.Contains(path, StringComparison.Ordinal));
    }

    private ActivationHarness Start() => new(StateDirectory, _configured);

    /// <summary>One start that swaps a release in (and, if <paramref name="survive"/>, stays up long enough), then stops.</summary>
    private async Task<ModelReleasePayload> SwapInAsync(int version, float scale, bool survive = false)
    {
        await using var agent = Start();
        agent.StartFrames();
        var file = ScorerModels.Write(_dir.Combine($"download-{version}.onnx"), ScorerModels.Brightness(scale));
        var release = ScorerModels.Release(file, version);
        var outcome = await agent.Activator.ActivateAsync(release, file, TestContext.Current.CancellationToken);
        Assert.True(outcome.Active, outcome.Message);
        if (survive)
        {
            agent.Time.Advance(agent.Settings.HealthyAfter);
        }

        return release;
    }

    public void Dispose() => _dir.Dispose();
}

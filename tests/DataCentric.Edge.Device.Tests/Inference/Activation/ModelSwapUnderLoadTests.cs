using System.Diagnostics;
using System.Globalization;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Device.Tests.Inference.Activation;

/// <summary>
/// Swaps while frames keep coming: no frame is lost beyond those the bounded queue drops (and
/// counts), and the runner never runs on a disposed engine. The diagnostics test prints the pause
/// in frame processing at the swap and what probation costs the running model; it asserts no timing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelSwapUnderLoadTests : IDisposable
{
    private readonly TempDirectory _dir = new("dce-swap-load");

    private string StateDirectory => _dir.Combine("state");

    [Fact]
    public async Task RepeatedSwapsAndRollbacks_WhileFramesFlow_EveryFrameIsInferredOrCountedAsDropped()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = new ActivationHarness(StateDirectory, ScorerModels.Write(_dir.Combine("configured.onnx"), ScorerModels.Brightness(1f)));
        agent.StartFrames(period: TimeSpan.FromMilliseconds(1));
        for (var version = 2; version <= 9; version++)
        {
            var file = ScorerModels.Write(_dir.Combine($"v{version}.onnx"), ScorerModels.Brightness(version));
            var release = ScorerModels.Release(file, version);
            var outcome = await agent.Activator.ActivateAsync(release, file, ct);
            Assert.True(outcome.Active, outcome.Message);
            Assert.Equal(release.Sha256, agent.RunningSha256);
            if (version % 3 == 0)
            {
                Assert.True((await agent.Activator.RollBackAsync(ScorerModels.Name, ct)).Active);
            }
        }

        var offered = await agent.StopAsync();

        var status = agent.Model.Status;
        Assert.Equal(offered, status.FramesInferred + status.FramesDropped);
        Assert.Equal(0, status.Errors + status.CorruptFrames);
        Assert.True(status.Running);
    }

    [Fact]
    public async Task SwapPauseAndProbationOverhead_Diagnostics()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = ActivationHarness.DefaultSettings(StateDirectory, probationFrames: 60);
        await using var agent = new ActivationHarness(ScorerModels.Options(ScorerModels.Write(_dir.Combine("configured.onnx"), ScorerModels.Slow(30))), settings);

        // Frames come faster than the model runs: its rate is what the CPU leaves it.
        agent.StartFrames(period: TimeSpan.FromMilliseconds(1));
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        var (before, beforeSeconds) = await InferredOverAsync(agent, () => Task.Delay(TimeSpan.FromSeconds(2), ct));
        var file = ScorerModels.Write(_dir.Combine("v2.onnx"), ScorerModels.Slow(30, scale: 2f));
        var release = ScorerModels.Release(file, 2);
        Core.Contracts.ModelActivationOutcome? outcome = null;
        var activationStarted = Stopwatch.GetTimestamp();
        var (during, duringSeconds) = await InferredOverAsync(agent, async () => outcome = await agent.Activator.ActivateAsync(release, file, ct));
        var swappedAt = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        var offered = await agent.StopAsync();

        Assert.True(outcome!.Active, outcome.Message);
        var status = agent.Model.Status;
        Assert.Equal(offered, status.FramesInferred + status.FramesDropped);
        long[] times;
        lock (agent.InferredAt)
        {
            times = [.. agent.InferredAt];
        }

        var gaps = times.Zip(times.Skip(1), (a, b) => (At: b, Ms: Stopwatch.GetElapsedTime(a, b).TotalMilliseconds)).ToList();
        var typical = Median(gaps.Where(g => g.At < activationStarted).Select(g => g.Ms));
        var aroundSwap = gaps.Where(g => Math.Abs(g.At - swappedAt) < Stopwatch.Frequency / 2).Max(g => g.Ms);
        var report = outcome.Probation!;
        var swapLine = Assert.Single(agent.ActivatorLog.Lines, l => l.Id.Id == 4111).Message;
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            running model (30 × [48,512]×[512,512]): {before / beforeSeconds:0.0} frames/s before, {during / duringSeconds:0.0} frames/s during load + probation ({duringSeconds:0.00} s, {report.Frames} probation frames)
            probation: candidate p50 {report.LatencyP50Ms:0.00} ms, p95 {report.LatencyP95Ms:0.00} ms, resident {report.ResidentBytes / (1024 * 1024)} MiB
            gap between inferred frames: median {typical:0.00} ms before the activation, longest within 0.5 s of the swap {aroundSwap:0.00} ms
            {swapLine}
            frames: {offered} offered, {status.FramesInferred} inferred, {status.FramesDropped} dropped by the queue of {agent.Options.QueueCapacity}
            """));
    }

    private static async Task<(long Frames, double Seconds)> InferredOverAsync(ActivationHarness agent, Func<Task> during)
    {
        var start = agent.Model.Status.FramesInferred;
        var clock = Stopwatch.StartNew();
        await during();
        return (agent.Model.Status.FramesInferred - start, clock.Elapsed.TotalSeconds);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }

    public void Dispose() => _dir.Dispose();
}

using DataCentric.Edge.Device.Inference.Activation;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Device.Tests.Inference.Activation;

/// <summary>
/// The host's stop counts as clean only when no worker failed: a worker's failure stops the host
/// too (with exit code 0), and that start must still count towards a pending release's crash loop.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CleanStopRecorderTests : IDisposable
{
    private readonly TempDirectory _dir = new("dce-clean-stop");

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task HostStop_TakesThisStartBack_OnlyWhenNoWorkerFailed(bool workerFailed, int startsCounted)
    {
        var configured = ScorerModels.Write(_dir.Combine("configured.onnx"), ScorerModels.Brightness(1f));
        await using (var first = new ActivationHarness(_dir.Combine("state"), configured))
        {
            first.StartFrames();
            var file = ScorerModels.Write(_dir.Combine("v2.onnx"), ScorerModels.Brightness(2f));
            Assert.True((await first.Activator.ActivateAsync(ScorerModels.Release(file, 2), file, TestContext.Current.CancellationToken)).Active);
        }

        await using var next = new ActivationHarness(_dir.Combine("state"), configured);
        using var worker = new Worker(workerFailed);
        await worker.StartAsync(TestContext.Current.CancellationToken);
        if (workerFailed)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => worker.ExecuteTask!);
        }
        else
        {
            Assert.False(worker.ExecuteTask!.IsCompleted);
        }

        await new CleanStopRecorder(next.Released, new Services([worker])).StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(startsCounted, next.Released.Store.Read(ScorerModels.Name).Pending!.Starts);
        await worker.StopAsync(TestContext.Current.CancellationToken);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A worker that fails at once, or runs until stopped.</summary>
    private sealed class Worker(bool fails) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            if (fails)
            {
                throw new InvalidOperationException("the worker failed");
            }

            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
    }

    private sealed class Services(IHostedService[] hosted) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IEnumerable<IHostedService>) ? hosted : null;
    }
}

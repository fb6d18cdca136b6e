using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Device.Inference.Activation;

/// <summary>
/// Tells <see cref="ReleasedModels"/> that the agent stopped cleanly, so a planned restart does not
/// count towards a pending release's crash loop. Registered before the workers, it stops after them;
/// a stop that follows a worker's failure (the host stops itself, exit code 0) is no clean stop.
/// </summary>
internal sealed class CleanStopRecorder(ReleasedModels released, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        var failed = services.GetServices<IHostedService>().OfType<BackgroundService>().Any(w => w.ExecuteTask is { IsFaulted: true });
        if (!failed)
        {
            released.StoppedCleanly();
        }

        return Task.CompletedTask;
    }
}

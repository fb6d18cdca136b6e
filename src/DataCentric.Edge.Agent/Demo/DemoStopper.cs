using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Agent.Demo;

/// <summary>Ends the demo after its duration, as Ctrl+C would.</summary>
internal sealed class DemoStopper(AgentCommandLine commandLine, IHostApplicationLifetime lifetime, TimeProvider timeProvider) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(commandLine.Duration, timeProvider, stoppingToken).ConfigureAwait(false);
            lifetime.StopApplication();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped earlier (Ctrl+C).
        }
    }
}

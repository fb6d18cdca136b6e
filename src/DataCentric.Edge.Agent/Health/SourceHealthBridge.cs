using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Sources.Sensors;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Agent.Health;

/// <summary>
/// Carries the sources' own state (a camera that failed and is being reopened, a controller feed
/// that went away) into the component health that the log, metrics and status report.
/// </summary>
internal sealed class SourceHealthBridge(SourceHealth sources, IHealthReporter reporter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        sources.Changed += Forward;
        foreach (var status in sources.Snapshot())
        {
            Forward(status);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        sources.Changed -= Forward;
        return Task.CompletedTask;
    }

    internal void Forward(SourceStatus status) => reporter.Report(
        $"source:{status.Source}",
        status.Source,
        status.State == SourceState.Retrying ? ComponentState.Faulted : ComponentState.Ok,
        status.State == SourceState.Retrying ? $"{status.LastError} (reopened {status.Restarts} times so far)" : status.State.ToString());
}

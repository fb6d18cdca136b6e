using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>Runs every signal source (controller feed, sensors) against the bus.</summary>
internal sealed partial class SignalSourceWorker(IEnumerable<ISignalSource> sources, SignalBus bus, ILogger<SignalSourceWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(sources.Select(source => RunAsync(source, stoppingToken)));

    private async Task RunAsync(ISignalSource source, CancellationToken stoppingToken)
    {
        LogStarted(source.Name);
        await source.RunAsync(bus, stoppingToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Signal source {Source} started")]
    private partial void LogStarted(string source);
}

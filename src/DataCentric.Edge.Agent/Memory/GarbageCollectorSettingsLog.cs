using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Memory;

/// <summary>Logs the garbage collector's settings once at start, so an operator can see that the build's and the unit's took.</summary>
internal sealed partial class GarbageCollectorSettingsLog(ILogger<GarbageCollectorSettingsLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogSettings(GarbageCollectorSettings.Describe(GC.GetConfigurationVariables()));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 930, Level = LogLevel.Information, Message = "Garbage collector: {Settings}")]
    private partial void LogSettings(string settings);
}

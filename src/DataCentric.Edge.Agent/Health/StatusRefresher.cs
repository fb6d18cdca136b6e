using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent.Health;

/// <summary>Republishes the retained status on a period so its health figures stay current for <c>edgectl devices</c>.</summary>
internal sealed class StatusRefresher(DeviceConnection connection, IOptions<HealthOptions> options, TimeProvider timeProvider) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StatusInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await connection.RefreshStatusAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or UploadRejectedException)
                {
                    // The upload loop owns reconnecting; the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }
}

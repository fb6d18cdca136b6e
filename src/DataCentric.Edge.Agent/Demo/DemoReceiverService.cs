using DataCentric.Edge.Fleet.Receiver;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Demo;

/// <summary>The fleet side of the demo, in the same process: receives clips from the embedded broker.</summary>
internal sealed partial class DemoReceiverService(ClipReceiver receiver, DemoConsole console, TimeProvider timeProvider, ILogger<DemoReceiverService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        receiver.ClipReceived += console.OnClipReceived;
        receiver.Rejected += LogRejected;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await receiver.EnsureConnectedAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or TimeoutException)
            {
                LogConnectFailed(e.Message);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, stoppingToken).ConfigureAwait(false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await receiver.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 910, Level = LogLevel.Warning, Message = "Receiver rejected a message: {Reason}")]
    private partial void LogRejected(string reason);

    [LoggerMessage(EventId = 911, Level = LogLevel.Warning, Message = "Receiver cannot connect: {Reason}")]
    private partial void LogConnectFailed(string reason);
}

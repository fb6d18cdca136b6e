using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Device.Sources.Sensors;

/// <summary>
/// Keeps a hardware signal source (CAN, GPIO, IMU) running: when it fails or its device is
/// missing, the failure is reported on <see cref="SourceHealth"/> and logged, and the source is
/// reopened after a doubling delay on the injected clock. The agent never stops for a sensor.
/// </summary>
public sealed partial class ResilientSignalSource(
    ISignalSource inner,
    SourceHealth health,
    RetryBackoff backoff,
    TimeProvider timeProvider,
    ILogger<ResilientSignalSource> logger) : ISignalSource
{
    public string Name => inner.Name;

    public ISignalSource Inner => inner;

    public void Register(SignalBus bus) => inner.Register(bus);

    public async Task RunAsync(SignalBus bus, CancellationToken cancellationToken)
    {
        var restarts = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            health.Report(new SourceStatus(Name, SourceState.Running, null, restarts, timeProvider.GetUtcNow()));
            string reason;
            try
            {
                await inner.RunAsync(bus, cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                reason = "the source ended";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Any failure of a device or driver: reported and retried, never fatal to the agent.
                reason = e.Message;
            }

            var delay = backoff.Next();
            restarts++;
            health.Report(new SourceStatus(Name, SourceState.Retrying, reason, restarts, timeProvider.GetUtcNow()));
            LogRetrying(Name, reason, delay);
            try
            {
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        health.Report(new SourceStatus(Name, SourceState.Stopped, null, restarts, timeProvider.GetUtcNow()));
    }

    [LoggerMessage(EventId = 1220, Level = LogLevel.Warning, Message = "Signal source {Source} failed: {Reason}; reopening in {Delay}")]
    private partial void LogRetrying(string source, string reason, TimeSpan delay);
}

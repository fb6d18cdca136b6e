using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Uplink.Broker;
using MQTTnet.Exceptions;

namespace DataCentric.Edge.Fleet.Receiver;

/// <summary>
/// Keeps a <see cref="ClipReceiver"/> running: reconnects with backoff on its own timer and sweeps
/// for clips whose chunks were split between the receivers of a shared group. This is the
/// receiver service (<c>edgectl receive</c>).
/// </summary>
public sealed class ReceiverLoop(ClipReceiver receiver, ReceiverOptions options, UplinkOptions uplink, TimeProvider timeProvider)
{
    /// <summary>The broker could not be reached (reason, next try in).</summary>
    public event Action<string, TimeSpan>? Down;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(uplink);
        var delay = uplink.ReconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = options.SweepInterval;
            try
            {
                if (await receiver.EnsureConnectedAsync(cancellationToken).ConfigureAwait(false))
                {
                    delay = uplink.ReconnectDelay;
                    await receiver.SweepAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is MqttCommunicationException or TimeoutException or OperationCanceledException or IOException)
            {
                Down?.Invoke(e.Message, delay);
                wait = delay;
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, uplink.MaxReconnectDelay.Ticks));
            }

            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

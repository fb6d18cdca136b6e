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
    /// <summary>The broker could not be reached, or refused the connection (reason, next try in).</summary>
    public event Action<string, TimeSpan>? Down;

    /// <summary>The receiver (re)connected and took its subscriptions: uploads reach it from now on.</summary>
    public event Action? Connected;

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
                var wasConnected = receiver.IsConnected;
                if (await receiver.EnsureConnectedAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!wasConnected)
                    {
                        Connected?.Invoke();
                    }

                    delay = uplink.ReconnectDelay;
                    await receiver.SweepAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    Down?.Invoke("the broker refused the connection", delay);
                    wait = delay;
                    delay = Longer(delay);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is MqttCommunicationException or TimeoutException or OperationCanceledException or IOException)
            {
                // Includes a connect that timed out against a hung broker and one made while the
                // client was still closing the connection the broker's restart broke (MqttConnect).
                Down?.Invoke(Reason(e), delay);
                wait = delay;
                delay = Longer(delay);
            }

            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>A timed-out connect says what timed out (MQTTnet's own message is only "The operation has timed out.").</summary>
    private static string Reason(Exception e) =>
        e is MqttCommunicationTimedOutException { InnerException: TimeoutException timeout } ? timeout.Message : e.Message;

    private TimeSpan Longer(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, uplink.MaxReconnectDelay.Ticks));
}

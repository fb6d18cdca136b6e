using System.Globalization;
using MQTTnet;
using MQTTnet.Exceptions;

namespace DataCentric.Edge.Uplink.Broker;

/// <summary>How every connection of ours connects: bounded in time, and "try again" when it cannot yet.</summary>
public static class MqttConnect
{
    /// <summary>
    /// Connects <paramref name="client"/>, giving up after <paramref name="timeout"/>.
    /// </summary>
    /// <remarks>
    /// MQTTnet 5's ConnectAsync does not apply its own timeout to the wait for CONNACK: against a hung
    /// broker (half-open link, no FIN) it waited for ever (measured: over 30 s with a 2 s timeout), so a
    /// reconnect loop never came round again. Our own deadline bounds it. Right after a broker restart or
    /// a keep-alive failure the client may still be closing its last connection and refuses with
    /// InvalidOperationException ("Not allowed to connect while connect/disconnect is pending"): that too
    /// is "not connected yet", so callers see the same <see cref="MqttCommunicationException"/> they
    /// already back off on, instead of an error that ends their loop. MQTTnet reports a cancelled connect as
    /// a failed one ("Connection closed"): which token fired decides whether it was a timeout or a stop.
    /// </remarks>
    /// <exception cref="MqttCommunicationTimedOutException">No CONNACK within <paramref name="timeout"/>.</exception>
    /// <exception cref="MqttCommunicationException">The broker could not be reached, or the last connection is still closing.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static async Task<MqttClientConnectResult> WithDeadlineAsync(IMqttClient client, MqttClientOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await client.ConnectAsync(options, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // MQTTnet reports a cancelled connect as a failed one (MqttConnectingFailedException):
            // callers stopping should see a cancellation, not "broker unreachable".
            throw new OperationCanceledException("The connect was cancelled.", e, cancellationToken);
        }
        catch (Exception e) when ((e is OperationCanceledException or MqttCommunicationException) && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Same for the deadline ("Connection closed"). MQTTnet's timeout message is fixed: the inner one says what timed out.
            throw new MqttCommunicationTimedOutException(new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"the broker did not accept the connection within {timeout.TotalSeconds:0.###} s (no CONNACK)"), e));
        }
        catch (InvalidOperationException e) when (e is not ObjectDisposedException)
        {
            throw new MqttCommunicationException($"The previous connection is still closing: {e.Message}", e);
        }
    }
}

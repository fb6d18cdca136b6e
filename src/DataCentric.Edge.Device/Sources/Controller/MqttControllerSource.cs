using System.Buffers;
using System.Globalization;
using System.Net;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// Subscribes to the controller's decisions on a local MQTT broker. Subscribe only: this client
/// never publishes. MQTTnet 5 has no managed client, so a timer checks the connection and
/// reconnects (a reconnect from the Disconnected handler can deadlock; STACK-NOTES); each connect
/// has a deadline, so a broker that never answers is retried instead of waited on for ever.
/// </summary>
public sealed partial class MqttControllerSource(
    ControllerFeedOptions options,
    ControllerDecisionPublisher publisher,
    MonotonicClock clock,
    ILogger<MqttControllerSource> logger) : ISignalSource
{
    private readonly Lock _acceptLock = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => $"mqtt-controller:{options.MqttHost}:{options.MqttPort}/{options.MqttTopic}";

    /// <summary>Completes when the first subscription is in place.</summary>
    public Task Subscribed => _subscribed.Task;

    public void Register(SignalBus bus) => publisher.Register(bus);

    public async Task RunAsync(SignalBus bus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        Register(bus);
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.Payload;
            var bytes = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
            lock (_acceptLock)
            {
                publisher.Accept(bus, bytes, clock.Now);
            }

            return Task.CompletedTask;
        };
        var connectOptions = new MqttClientOptionsBuilder()
            .WithEndPoint(new DnsEndPoint(options.MqttHost, options.MqttPort))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"dce-controller-feed-{Environment.ProcessId}-{Guid.NewGuid():N}")
            .WithCleanStart()
            .WithTimeout(options.MqttConnectTimeout) // bounds the wait for the SUBACK; the CONNACK needs ConnectWithDeadlineAsync
            .Build();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!client.IsConnected)
                {
                    await ConnectAsync(client, connectOptions, cancellationToken).ConfigureAwait(false);
                }

                await Task.Delay(options.MqttReconnectDelay, clock.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task ConnectAsync(IMqttClient client, MqttClientOptions connectOptions, CancellationToken cancellationToken)
    {
        try
        {
            await ConnectWithDeadlineAsync(client, connectOptions, cancellationToken).ConfigureAwait(false);
            var result = await client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder().WithTopicFilter(options.MqttTopic, MqttQualityOfServiceLevel.AtMostOnce).Build(),
                cancellationToken).ConfigureAwait(false);
            if (result.Items.FirstOrDefault(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2) is { } refused)
            {
                LogSubscribeRefused(options.MqttTopic, options.MqttHost, options.MqttPort, refused.ResultCode, options.MqttReconnectDelay);
                await DropAsync(client).ConfigureAwait(false);
                return;
            }

            LogSubscribed(options.MqttTopic, options.MqttHost, options.MqttPort);
            _subscribed.TrySetResult();
        }
        catch (Exception e) when (e is MqttCommunicationException or InvalidOperationException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogConnectFailed(options.MqttHost, options.MqttPort, e.Message, options.MqttReconnectDelay);
            await DropAsync(client).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes a connection that has no subscription (refused, or its SUBACK never came): the loop only
    /// reconnects a disconnected client, so a connection left open would never subscribe again.
    /// </summary>
    private async Task DropAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(options.MqttConnectTimeout, clock.TimeProvider);
        try
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MqttCommunicationException or InvalidOperationException or OperationCanceledException)
        {
            // The connection is closed either way; the next round connects afresh.
        }
    }

    /// <summary>
    /// <c>client.ConnectAsync</c> bounded by <see cref="ControllerFeedOptions.MqttConnectTimeout"/>.
    /// </summary>
    /// <remarks>
    /// The same rules as the uplink's <c>MqttConnect.WithDeadlineAsync</c> (DataCentric.Edge.Uplink/Broker),
    /// kept here because Device does not reference Uplink and Core carries no MQTTnet. MQTTnet 5 waits for
    /// the CONNACK for ever: a broker that accepts TCP and says nothing (a frozen process, a half-open link)
    /// would hold this loop until the agent restarts. MQTTnet reports a cancelled connect as a failed one
    /// (MqttConnectingFailedException), so which token fired decides between a timeout and a stop.
    /// </remarks>
    /// <exception cref="TimeoutException">No CONNACK within the timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    private async Task ConnectWithDeadlineAsync(IMqttClient client, MqttClientOptions connectOptions, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.MqttConnectTimeout, clock.TimeProvider);
        using var connectToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await client.ConnectAsync(connectOptions, connectToken.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // Stopping, not "broker unreachable": RunAsync ends quietly on a cancellation.
            throw new OperationCanceledException("The controller feed stopped while connecting.", e, cancellationToken);
        }
        catch (Exception e) when ((e is OperationCanceledException or MqttCommunicationException) && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                string.Create(CultureInfo.InvariantCulture, $"the broker did not accept the connection within {options.MqttConnectTimeout.TotalSeconds:0.###} s (no CONNACK)"),
                e);
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Controller feed subscribed to {Topic} on {Host}:{Port}")]
    private partial void LogSubscribed(string topic, string host, int port);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Warning, Message = "Controller feed cannot reach the broker {Host}:{Port}: {Reason}; retrying every {Delay}")]
    private partial void LogConnectFailed(string host, int port, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Warning, Message = "Controller feed: the broker {Host}:{Port} refused the subscription to {Topic} ({Reason}); reconnecting to ask again every {Delay}")]
    private partial void LogSubscribeRefused(string topic, string host, int port, MqttClientSubscribeResultCode reason, TimeSpan delay);
}

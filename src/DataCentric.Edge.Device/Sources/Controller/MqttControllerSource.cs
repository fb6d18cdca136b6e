using System.Buffers;
using System.Net;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// Subscribes to the controller's decisions on a local MQTT broker. Subscribe only: this client
/// never publishes. MQTTnet 5 has no managed client, so a timer checks the connection and
/// reconnects (a reconnect from the Disconnected handler can deadlock; STACK-NOTES).
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
            await client.ConnectAsync(connectOptions, cancellationToken).ConfigureAwait(false);
            await client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder().WithTopicFilter(options.MqttTopic, MqttQualityOfServiceLevel.AtMostOnce).Build(),
                cancellationToken).ConfigureAwait(false);
            LogSubscribed(options.MqttTopic, options.MqttHost, options.MqttPort);
            _subscribed.TrySetResult();
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogConnectFailed(options.MqttHost, options.MqttPort, e.Message, options.MqttReconnectDelay);
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Controller feed subscribed to {Topic} on {Host}:{Port}")]
    private partial void LogSubscribed(string topic, string host, int port);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Warning, Message = "Controller feed cannot reach the broker {Host}:{Port}: {Reason}; retrying every {Delay}")]
    private partial void LogConnectFailed(string host, int port, string reason, TimeSpan delay);
}

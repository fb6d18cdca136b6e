using System.Buffers;
using DataCentric.Edge.Uplink.Broker;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.FleetService.Messaging;

/// <summary>
/// One persistent MQTT session of a dce-fleet component (the device tracker, the clip receiver):
/// a stable client id, QoS 1 subscriptions, and a message acknowledged (PUBACK) only after its
/// handler returned, so nothing is lost between the broker and a durable write.
/// </summary>
/// <remarks>
/// <c>AutoAcknowledge = false</c>, then <c>AcknowledgeAsync</c>. When a handler throws, the message
/// stays unacknowledged and the session is dropped; <see cref="RunAsync"/> reconnects after a back-off
/// and the broker redelivers what was not acknowledged (MQTT 5 redelivers only on session resumption).
/// An <see cref="InboundWindow"/> bounds the messages received but not yet handled (and so memory,
/// while a store is slow or down) by holding MQTTnet's receive loop; the MQTT 5 receive maximum asks
/// the broker for the same, which not every broker honours. MQTTnet 5 has no managed client: a loop on
/// <see cref="TimeProvider"/> checks and reconnects; nothing reconnects from the Disconnected handler.
/// </remarks>
public sealed partial class DurableSubscriber : IDisposable
{
    private readonly DurableSubscriberSettings _settings;
    private readonly Func<MqttApplicationMessage, CancellationToken, Task> _handle;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BrokerEndpoint _endpoint;
    private readonly IMqttClient _client;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _handlers;
    private InboundWindow _window;
    private Task _lastAcknowledged = Task.CompletedTask;
    private int _handlerFailed;
    private long _handlerFailures;
    private long _publishesTaken;
    private CancellationToken _stopping;

    /// <param name="handle">Writes one message durably; returning acknowledges it, throwing leaves it to be redelivered.</param>
    public DurableSubscriber(DurableSubscriberSettings settings, Func<MqttApplicationMessage, CancellationToken, Task> handle, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _settings = settings;
        _handle = handle;
        _time = time;
        _logger = logger;
        _endpoint = new BrokerEndpoint(settings.Broker.Host, settings.Broker.Port);
        _handlers = new SemaphoreSlim(settings.ConcurrentHandlers, settings.ConcurrentHandlers);
        _window = new InboundWindow(settings.ReceiveMaximum);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.InspectPacketAsync += OnInspectPacketAsync;
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Completes when the broker first granted the subscriptions (for readiness checks and tests).</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>Handler failures so far (each left its message unacknowledged and dropped the session).</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

    /// <summary>PUBLISH packets taken off the socket (each holding a slot of the window until handled): for tests.</summary>
    internal long PublishesTaken => Interlocked.Read(ref _publishesTaken);

    /// <summary>Publishes on this session (QoS 1 acks to devices); throws when the session is down.</summary>
    public Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken) =>
        _client.PublishAsync(message, cancellationToken);

    /// <summary>Keeps the session up until <paramref name="stoppingToken"/> fires, backing off while the broker or a handler fails.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var broker = _settings.Broker;
        var delay = broker.ReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            var healthy = false;
            try
            {
                if (Interlocked.Exchange(ref _handlerFailed, 0) == 1)
                {
                    // Drop the session: what was not acknowledged comes back when it resumes.
                    LogBackingOff(_logger, _settings.Name, delay);
                    await DisconnectAsync().ConfigureAwait(false);
                }
                else
                {
                    healthy = _client.IsConnected || await ConnectAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException e)
            {
                // Expected while the broker is away: one line each try, not a stack trace.
                LogBrokerUnreachable(_logger, _settings.Name, _endpoint.ToString(), e.GetBaseException().Message, delay);
            }
            catch (Exception e)
            {
                LogConnectFailed(_logger, _settings.Name, _endpoint.ToString(), delay, e);
            }

            if (healthy)
            {
                delay = broker.ReconnectDelay;
            }

            try
            {
                await Task.Delay(healthy ? _settings.CheckInterval : delay, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (!healthy)
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, broker.MaxReconnectDelay.Ticks));
            }
        }

        await DisconnectAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        _window.Close();
        _client.Dispose();
        _handlers.Dispose();
        _window.Dispose();
    }

    private async Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        // A fresh window: slots taken by messages the last connection dropped are gone with it.
        var previous = Interlocked.Exchange(ref _window, new InboundWindow(_settings.ReceiveMaximum));
        previous.Close();
        _lastAcknowledged = Task.CompletedTask; // The old connection's acks no longer order anything.
        var broker = _settings.Broker;
        var options = MqttClientOptionsFactory.Create(broker, _endpoint, _settings.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)broker.SessionExpiry.TotalSeconds)
            .WithReceiveMaximum(_settings.ReceiveMaximum)
            .Build()
            .WithSocketBuffer(broker);
        var result = await MqttConnect.WithDeadlineAsync(_client, options, broker.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"The broker refused the {_settings.Name}'s connection: {result.ResultCode} {result.ReasonString}");
        }

        // A resumed session keeps its subscriptions; subscribing again is harmless and covers a new session.
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in _settings.Filters)
        {
            subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        var granted = await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        var refused = granted.Items.Where(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2).ToList();
        if (refused.Count > 0)
        {
            throw new InvalidOperationException($"The broker refused the {_settings.Name}'s subscriptions: {string.Join(", ", refused.Select(r => $"{r.TopicFilter.Topic} ({r.ResultCode})"))}");
        }

        LogConnected(_logger, _settings.Name, _endpoint.ToString(), _settings.ClientId, result.IsSessionPresent);
        _subscribed.TrySetResult();
        return true;
    }

    private async Task DisconnectAsync()
    {
        Volatile.Read(ref _window).Close();
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The broker is already gone.
        }
    }

    /// <summary>Runs on MQTTnet's receive loop for every packet: a PUBLISH waits here for a slot of the window.</summary>
    private async Task OnInspectPacketAsync(MQTTnet.Diagnostics.PacketInspection.InspectMqttPacketEventArgs e)
    {
        const int PublishPacketType = 3; // The high nibble of the fixed header's first byte.
        if (e.Direction == MQTTnet.Diagnostics.PacketInspection.MqttPacketFlowDirection.Inbound && e.Buffer.Length > 0 && e.Buffer[0] >> 4 == PublishPacketType)
        {
            await Volatile.Read(ref _window).EnterAsync().ConfigureAwait(false);
            Interlocked.Increment(ref _publishesTaken);
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        var window = Volatile.Read(ref _window);
        if (Volatile.Read(ref _handlerFailed) == 1)
        {
            window.Leave();
            return; // The session is being dropped: leave the rest for the redelivery.
        }

        if (_settings.ConcurrentHandlers == 1)
        {
            if (await HandleAsync(e).ConfigureAwait(false))
            {
                await AcknowledgeAsync(e).ConfigureAwait(false);
            }

            window.Leave();
            return;
        }

        // Returning lets MQTTnet read the next message while this one is stored. The payload is
        // copied: the handler outlives this callback, and the window bounds how many copies exist.
        await _handlers.WaitAsync(_stopping).ConfigureAwait(false);
        var message = e.ApplicationMessage;
        var length = checked((int)message.Payload.Length);
        var copy = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        message.Payload.CopyTo(copy);
        message.Payload = new ReadOnlySequence<byte>(copy, 0, length);
        var handled = Task.Run(async () =>
        {
            try
            {
                return await HandleAsync(e).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
                _handlers.Release();
            }
        });

        // PUBACKs go out in the order the messages came in, each after its own write: mosquitto
        // 2.0.11 stopped delivering to a receiver after a few thousand out-of-order acknowledgements
        // (tools/bench/Fleet, 800 MiB), and in-order acks cost only the wait for the slowest write.
        // Only this callback (one at a time) touches _lastAcknowledged.
        var previous = _lastAcknowledged;
        _lastAcknowledged = AcknowledgeInOrderAsync(previous, handled, e, window);
    }

    private async Task AcknowledgeInOrderAsync(Task previous, Task<bool> handled, MqttApplicationMessageReceivedEventArgs e, InboundWindow window)
    {
        try
        {
            var stored = await handled.ConfigureAwait(false);
            await previous.ConfigureAwait(false);
            if (stored)
            {
                await AcknowledgeAsync(e).ConfigureAwait(false);
            }
        }
        finally
        {
            window.Leave();
        }
    }

    /// <summary>Writes one message; false (logged, counted, session marked to drop) when the store failed.</summary>
    private async Task<bool> HandleAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        try
        {
            await _handle(e.ApplicationMessage, _stopping).ConfigureAwait(false);
            return true;
        }
        catch (Exception error)
        {
            // A store is down (or we are stopping): no PUBACK; the loop drops the session and backs off.
            Interlocked.Increment(ref _handlerFailures);
            Volatile.Write(ref _handlerFailed, 1);
            LogHandlerFailed(_logger, _settings.Name, e.ApplicationMessage.Topic, error);
            return false;
        }
    }

    private async Task AcknowledgeAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        try
        {
            await e.AcknowledgeAsync(_stopping).ConfigureAwait(false);
        }
        catch (Exception error) when (error is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            // The session dropped before the PUBACK: the broker redelivers, and the write is idempotent.
            LogAckLost(_logger, _settings.Name, e.ApplicationMessage.Topic, error.GetBaseException().Message);
        }
    }

    [LoggerMessage(EventId = 5300, Level = LogLevel.Information, Message = "{Component} connected to {Broker} as {ClientId} (session present: {SessionPresent})")]
    private static partial void LogConnected(ILogger logger, string component, string broker, string clientId, bool sessionPresent);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "{Component} could not connect to {Broker}; next try in {Delay}")]
    private static partial void LogConnectFailed(ILogger logger, string component, string broker, TimeSpan delay, Exception error);

    [LoggerMessage(EventId = 5305, Level = LogLevel.Error, Message = "{Component}: storing {Topic} failed; not acknowledged (the broker redelivers)")]
    private static partial void LogHandlerFailed(ILogger logger, string component, string topic, Exception error);

    [LoggerMessage(EventId = 5306, Level = LogLevel.Warning, Message = "{Component}: a store is unavailable; dropping the MQTT session, reconnecting in {Delay}")]
    private static partial void LogBackingOff(ILogger logger, string component, TimeSpan delay);

    [LoggerMessage(EventId = 5308, Level = LogLevel.Debug, Message = "{Component}: the PUBACK of {Topic} was not sent ({Reason}); the broker redelivers it")]
    private static partial void LogAckLost(ILogger logger, string component, string topic, string reason);

    [LoggerMessage(EventId = 5307, Level = LogLevel.Warning, Message = "{Component} cannot reach the broker at {Broker} ({Reason}); next try in {Delay}")]
    private static partial void LogBrokerUnreachable(ILogger logger, string component, string broker, string reason, TimeSpan delay);
}

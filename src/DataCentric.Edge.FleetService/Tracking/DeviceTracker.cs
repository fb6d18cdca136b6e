using System.Buffers;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.Uplink.Broker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.FleetService.Tracking;

/// <summary>
/// Keeps the catalog's view of the fleet: device status (every instance takes every retained status;
/// the upsert is idempotent), trigger events and trigger counter reports (split between the instances
/// of <see cref="TrackerOptions.SharedGroup"/> through MQTT 5 shared subscriptions).
/// </summary>
/// <remarks>
/// One MQTT session with a stable client id and a persistent session. A message is acknowledged
/// (PUBACK) only after its catalog write returned: <c>AutoAcknowledge = false</c>, then
/// <c>AcknowledgeAsync</c>. When the catalog write fails the message is left unacknowledged and the
/// session is dropped; the check loop reconnects after a back-off and the broker redelivers what was
/// not acknowledged (MQTT 5 redelivers only on session resumption). MQTTnet 5 has no managed client:
/// a loop on <see cref="TimeProvider"/> checks and reconnects; nothing reconnects from the
/// Disconnected handler. A payload that names another fleet or device than its topic, or that cannot
/// be read, is counted, logged and acknowledged (a redelivery would not make it better).
/// </remarks>
public sealed partial class DeviceTracker : BackgroundService
{
    private readonly IFleetIngest _ingest;
    private readonly TrackerOptions _options;
    private readonly BrokerEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly ILogger<DeviceTracker> _logger;
    private readonly IMqttClient _client;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _catalogFailed;
    private CancellationToken _stopping;

    public DeviceTracker(IFleetIngest ingest, TrackerOptions options, TimeProvider time, ILogger<DeviceTracker> logger)
    {
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _ingest = ingest;
        _options = options;
        _endpoint = new BrokerEndpoint(options.Broker.Host, options.Broker.Port);
        _time = time;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public TrackerCounters Counters { get; } = new();

    public bool IsConnected => _client.IsConnected;

    /// <summary>Completes when the broker first granted the tracker's subscriptions (for readiness checks and tests).</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>The filters the tracker subscribes to: status directly, events and counters shared.</summary>
    public IReadOnlyList<string> Filters =>
    [
        $"{FleetTopics.Root}/+/+/status",
        $"$share/{_options.SharedGroup}/{FleetTopics.Root}/+/+/events",
        $"$share/{_options.SharedGroup}/{FleetTopics.Root}/+/+/triggers/counters",
    ];

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var delay = _options.Broker.ReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            var healthy = false;
            try
            {
                if (Interlocked.Exchange(ref _catalogFailed, 0) == 1)
                {
                    // Drop the session: what was not acknowledged comes back when it resumes.
                    LogBackingOff(_logger, delay);
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
                LogBrokerUnreachable(_logger, _endpoint.ToString(), e.GetBaseException().Message, delay);
            }
            catch (Exception e)
            {
                LogConnectFailed(_logger, _endpoint.ToString(), delay, e);
            }

            if (healthy)
            {
                delay = _options.Broker.ReconnectDelay;
            }

            try
            {
                await Task.Delay(healthy ? _options.CheckInterval : delay, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (!healthy)
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.Broker.MaxReconnectDelay.Ticks));
            }
        }

        await DisconnectAsync().ConfigureAwait(false);
    }

    private async Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        var broker = _options.Broker;
        var options = MqttClientOptionsFactory.Create(broker, _endpoint, _options.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)broker.SessionExpiry.TotalSeconds)
            .Build()
            .WithSocketBuffer(broker);
        var result = await _client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"The broker refused the tracker's connection: {result.ResultCode} {result.ReasonString}");
        }

        // A resumed session keeps its subscriptions; subscribing again is harmless and covers a new session.
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in Filters)
        {
            subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        var granted = await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        var refused = granted.Items.Where(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2).ToList();
        if (refused.Count > 0)
        {
            throw new InvalidOperationException($"The broker refused the tracker's subscriptions: {string.Join(", ", refused.Select(r => $"{r.TopicFilter.Topic} ({r.ResultCode})"))}");
        }

        LogConnected(_logger, _endpoint.ToString(), _options.ClientId, result.IsSessionPresent);
        _subscribed.TrySetResult();
        return true;
    }

    private async Task DisconnectAsync()
    {
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

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        var message = e.ApplicationMessage;
        try
        {
            await HandleAsync(message.Topic, message.Payload, _stopping).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not ArgumentException)
        {
            // The catalog is down (or we are stopping): no PUBACK, and the loop drops the session and backs off.
            Counters.AddCatalogFailure();
            Volatile.Write(ref _catalogFailed, 1);
            LogCatalogFailed(_logger, message.Topic, error);
            return;
        }

        await e.AcknowledgeAsync(_stopping).ConfigureAwait(false);
    }

    /// <summary>Writes one message to the catalog; returns when the message may be acknowledged, throws when it may not.</summary>
    private async Task HandleAsync(string topic, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        if (!FleetTopics.TryParseDevice(topic, out var fleet, out var device))
        {
            Unparseable(topic, "not a topic of the contract");
            return;
        }

        if (payload.IsEmpty)
        {
            return; // A cleared retained status: nothing to record.
        }

        var kind = topic[(FleetTopics.Root.Length + fleet.Length + device.Length + 3)..];
        var now = _time.GetUtcNow();
        try
        {
            switch (kind)
            {
                case "status":
                    if (UplinkJson.Deserialize<DeviceStatus>(payload) is not { } status)
                    {
                        Unparseable(topic, "not a DeviceStatus");
                    }
                    else if (Agrees(topic, fleet, device, status.Fleet, status.Device))
                    {
                        await _ingest.RecordStatusAsync(status, now, cancellationToken).ConfigureAwait(false);
                        Counters.AddStored();
                    }

                    break;
                case "events":
                    if (UplinkJson.Deserialize<EventSummary>(payload) is not { } summary)
                    {
                        Unparseable(topic, "not an EventSummary");
                    }
                    else
                    {
                        Written(topic, await _ingest.AddEventAsync(fleet, device, summary, now, cancellationToken).ConfigureAwait(false));
                    }

                    break;
                case "triggers/counters":
                    if (UplinkJson.Deserialize<TriggerCountersReport>(payload) is not { } report)
                    {
                        Unparseable(topic, "not a TriggerCountersReport");
                    }
                    else if (Agrees(topic, fleet, device, report.Fleet, report.Device))
                    {
                        Written(topic, await _ingest.RecordTriggerCountersAsync(report, cancellationToken).ConfigureAwait(false));
                    }

                    break;
                default:
                    Unparseable(topic, "not a topic the tracker takes");
                    break;
            }
        }
        catch (ArgumentException invalid)
        {
            // The catalog's input rules refused a value (an empty id, a negative count): the device's fault, not the catalog's.
            Unparseable(topic, invalid.Message);
        }
    }

    private bool Agrees(string topic, string fleet, string device, string? payloadFleet, string? payloadDevice)
    {
        if (string.Equals(fleet, payloadFleet, StringComparison.Ordinal) && string.Equals(device, payloadDevice, StringComparison.Ordinal))
        {
            return true;
        }

        Counters.AddRefused();
        LogMismatch(_logger, topic, payloadFleet, payloadDevice);
        return false;
    }

    private void Written(string topic, CatalogWrite write)
    {
        if (write == CatalogWrite.Conflict)
        {
            Counters.AddRefused();
            LogConflict(_logger, topic);
        }
        else
        {
            Counters.AddStored();
        }
    }

    private void Unparseable(string topic, string why)
    {
        Counters.AddUnparseable();
        LogUnparseable(_logger, topic, why);
    }

    [LoggerMessage(EventId = 5300, Level = LogLevel.Information, Message = "Device tracker connected to {Broker} as {ClientId} (session present: {SessionPresent})")]
    private static partial void LogConnected(ILogger logger, string broker, string clientId, bool sessionPresent);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Device tracker could not connect to {Broker}; next try in {Delay}")]
    private static partial void LogConnectFailed(ILogger logger, string broker, TimeSpan delay, Exception error);

    [LoggerMessage(EventId = 5307, Level = LogLevel.Warning, Message = "Device tracker cannot reach the broker at {Broker} ({Reason}); next try in {Delay}")]
    private static partial void LogBrokerUnreachable(ILogger logger, string broker, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "Refused {Topic}: the payload names fleet {PayloadFleet}, device {PayloadDevice}")]
    private static partial void LogMismatch(ILogger logger, string topic, string? payloadFleet, string? payloadDevice);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "Unreadable message on {Topic}: {Reason}")]
    private static partial void LogUnparseable(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Warning, Message = "Refused {Topic}: the catalog holds the id with another fleet, device or content")]
    private static partial void LogConflict(ILogger logger, string topic);

    [LoggerMessage(EventId = 5305, Level = LogLevel.Error, Message = "Catalog write for {Topic} failed; not acknowledged (the broker redelivers)")]
    private static partial void LogCatalogFailed(ILogger logger, string topic, Exception error);

    [LoggerMessage(EventId = 5306, Level = LogLevel.Warning, Message = "Catalog unavailable: dropping the MQTT session, reconnecting in {Delay}")]
    private static partial void LogBackingOff(ILogger logger, TimeSpan delay);
}

using System.Buffers;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace DataCentric.Edge.FleetService.Tracking;

/// <summary>
/// Keeps the catalog's view of the fleet: device status, trigger-set acks and model release acks (every
/// instance takes every retained one; the upserts are idempotent), trigger events and trigger counter reports (split between the instances
/// of <see cref="TrackerOptions.SharedGroup"/> through MQTT 5 shared subscriptions).
/// </summary>
/// <remarks>
/// One <see cref="DurableSubscriber"/> session: a message is acknowledged only after its catalog write
/// returned; when the catalog fails the message stays unacknowledged and the session backs off. A
/// payload that names another fleet or device than its topic, or that cannot be read, is counted,
/// logged and acknowledged (a redelivery would not make it better).
/// </remarks>
public sealed partial class DeviceTracker : BackgroundService
{
    private readonly IFleetIngest _ingest;
    private readonly TrackerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeviceTracker> _logger;
    private readonly DurableSubscriber _subscriber;

    public DeviceTracker(IFleetIngest ingest, TrackerOptions options, TimeProvider time, ILogger<DeviceTracker> logger)
    {
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _ingest = ingest;
        _options = options;
        _time = time;
        _logger = logger;
        _subscriber = new DurableSubscriber(
            new DurableSubscriberSettings("Device tracker", options.ClientId, Filters, options.Broker, options.CheckInterval, options.ReceiveMaximum),
            HandleAsync,
            time,
            logger);
    }

    public TrackerCounters Counters { get; } = new();

    public bool IsConnected => _subscriber.IsConnected;

    /// <summary>Completes when the broker first granted the tracker's subscriptions (for readiness checks and tests).</summary>
    public Task Subscribed => _subscriber.Subscribed;

    /// <summary>The filters the tracker subscribes to: status and acks directly, events and counters shared.</summary>
    public IReadOnlyList<string> Filters =>
    [
        $"{FleetTopics.Root}/+/+/status",
        $"{FleetTopics.Root}/+/+/config/ack",
        $"{FleetTopics.Root}/+/+/models/+/ack",
        $"$share/{_options.SharedGroup}/{FleetTopics.Root}/+/+/events",
        $"$share/{_options.SharedGroup}/{FleetTopics.Root}/+/+/triggers/counters",
    ];

    public override void Dispose()
    {
        _subscriber.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _subscriber.RunAsync(stoppingToken);

    private async Task HandleAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await StoreAsync(message.Topic, message.Payload, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            Counters.AddCatalogFailure();
            throw;
        }
    }

    /// <summary>Writes one message to the catalog; returns when the message may be acknowledged, throws when it may not.</summary>
    private async Task StoreAsync(string topic, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        if (!FleetTopics.TryParseDevice(topic, out var fleet, out var device))
        {
            Unparseable(topic, "not a topic of the contract");
            return;
        }

        if (payload.IsEmpty)
        {
            return; // A cleared retained status or ack: nothing to record.
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
                case "config/ack":
                    if (UplinkJson.Deserialize<TriggerSetAck>(payload) is not { } ack)
                    {
                        Unparseable(topic, "not a TriggerSetAck");
                    }
                    else if (Agrees(topic, fleet, device, ack.Fleet, ack.Device))
                    {
                        await _ingest.RecordTriggerSetAckAsync(ack, cancellationToken).ConfigureAwait(false);
                        Counters.AddStored();
                    }

                    break;
                case var models when ModelAckName(models) is { } name:
                    if (UplinkJson.Deserialize<ModelReleaseAck>(payload) is not { } modelAck)
                    {
                        Unparseable(topic, "not a ModelReleaseAck");
                    }
                    else if (Agrees(topic, fleet, device, modelAck.Fleet, modelAck.Device) && NameAgrees(topic, name, modelAck.Name))
                    {
                        await _ingest.RecordModelReleaseAckAsync(modelAck, cancellationToken).ConfigureAwait(false);
                        Counters.AddStored();
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

    /// <summary>The model name of a <c>models/{name}/ack</c> topic tail; null for any other tail.</summary>
    private static string? ModelAckName(string kind) =>
        kind.StartsWith("models/", StringComparison.Ordinal) && kind.EndsWith("/ack", StringComparison.Ordinal) && kind.Length > "models//ack".Length
            ? kind["models/".Length..^"/ack".Length]
            : null;

    private bool NameAgrees(string topic, string name, string? payloadName)
    {
        if (string.Equals(name, payloadName, StringComparison.Ordinal))
        {
            return true;
        }

        Counters.AddRefused();
        LogModelMismatch(_logger, topic, payloadName);
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

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "Refused {Topic}: the payload names fleet {PayloadFleet}, device {PayloadDevice}")]
    private static partial void LogMismatch(ILogger logger, string topic, string? payloadFleet, string? payloadDevice);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "Unreadable message on {Topic}: {Reason}")]
    private static partial void LogUnparseable(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 5309, Level = LogLevel.Warning, Message = "Refused {Topic}: the payload names model {PayloadName}")]
    private static partial void LogModelMismatch(ILogger logger, string topic, string? payloadName);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Warning, Message = "Refused {Topic}: the catalog holds the id with another fleet, device or content")]
    private static partial void LogConflict(ILogger logger, string topic);
}

using DataCentric.Edge.Uplink.Broker;

namespace DataCentric.Edge.FleetService.Messaging;

/// <summary>What a <see cref="DurableSubscriber"/> connects as and to.</summary>
/// <param name="Name">The component, for logs ("Device tracker", "Clip receiver").</param>
/// <param name="ClientId">Stable per instance, so the persistent session (and any unacked message) survives a restart.</param>
/// <param name="ReceiveMaximum">At most this many unacknowledged QoS 1 messages in flight from the broker (MQTT 5 Receive Maximum).</param>
/// <param name="ConcurrentHandlers">
/// Messages handled at once (1: in order). More overlaps the stores' round trips; only for handlers
/// whose writes are idempotent and order-free, as clip staging is (device status is not).
/// </param>
public sealed record DurableSubscriberSettings(
    string Name,
    string ClientId,
    IReadOnlyList<string> Filters,
    UplinkOptions Broker,
    TimeSpan CheckInterval,
    ushort ReceiveMaximum,
    int ConcurrentHandlers = 1);

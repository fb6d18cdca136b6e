using DataCentric.Edge.Uplink.Broker;

namespace DataCentric.Edge.FleetService.Tracking;

/// <summary>The device tracker (<see cref="DeviceTracker"/>): its MQTT session and its shared-subscription group.</summary>
public sealed class TrackerOptions
{
    public const string SectionName = "Tracker";

    /// <summary>The tracker's MQTT client id: stable per instance, so its persistent session (and any unacked message) survives a restart.</summary>
    public string ClientId { get; set; } = "dce-fleet-tracker";

    /// <summary>The shared-subscription group of events and counters: the instances of one group split them.</summary>
    public string SharedGroup { get; set; } = "dce-fleet";

    /// <summary>How often the session is checked and, when down, reconnected (backing off by Broker:ReconnectDelay to Broker:MaxReconnectDelay).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many unacknowledged messages in flight from the broker (MQTT 5 Receive Maximum): bounds memory while the catalog is down.</summary>
    public ushort ReceiveMaximum { get; set; } = 64;

    /// <summary>The broker and the connection settings every fleet-side client shares (host, port, TLS, keep-alive, session expiry).</summary>
    public UplinkOptions Broker { get; set; } = new();
}

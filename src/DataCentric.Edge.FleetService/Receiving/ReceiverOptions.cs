using DataCentric.Edge.Uplink.Broker;

namespace DataCentric.Edge.FleetService.Receiving;

/// <summary>The clip receiver (<see cref="ClipReceiverService"/>): its MQTT session, its limits and its staging housekeeping.</summary>
public sealed class ReceiverOptions
{
    public const string SectionName = "Receiver";

    /// <summary>The receiver's MQTT client id: stable per instance and unique in the fleet, so its persistent session survives a restart.</summary>
    public string ClientId { get; set; } = "dce-fleet-receiver";

    /// <summary>The shared-subscription group: the instances of one group split the manifests and chunks between them.</summary>
    public string SharedGroup { get; set; } = "dce-fleet";

    /// <summary>How often the session is checked and, when down, reconnected (backing off by Broker:ReconnectDelay to Broker:MaxReconnectDelay).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many unacknowledged messages in flight from the broker (MQTT 5 Receive Maximum): with <see cref="MaxChunkBytes"/>, bounds memory while a store is down.</summary>
    public ushort ReceiveMaximum { get; set; } = 32;

    /// <summary>Manifests and chunks staged at once (each one database round trip); at most <see cref="ReceiveMaximum"/>.</summary>
    public int ConcurrentStaging { get; set; } = 16;

    /// <summary>A chunk larger than this is refused whatever its clip declares (the device's default is 128 KiB).</summary>
    public int MaxChunkBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a receiver holds a clip it is assembling before another may take it over (a receiver killed mid-clip).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often staging is swept: clips whose last piece was missed or whose lease expired are assembled, abandoned ones removed.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A staged upload nothing was written to for this long is removed (the device sends it again if it still holds it).</summary>
    public TimeSpan AbandonAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Clips assembled at once by this instance (each streams one clip into the object store).</summary>
    public int AssemblyConcurrency { get; set; } = 2;

    /// <summary>Clips waiting for assembly in memory; beyond this a completed clip waits for the next sweep.</summary>
    public int AssemblyQueueLength { get; set; } = 256;

    /// <summary>The broker and the connection settings every fleet-side client shares (host, port, TLS, keep-alive, session expiry).</summary>
    public UplinkOptions Broker { get; set; } = new();
}

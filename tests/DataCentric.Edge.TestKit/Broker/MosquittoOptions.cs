namespace DataCentric.Edge.TestKit.Broker;

/// <summary>What a test's mosquitto should enforce. Null leaves mosquitto's default.</summary>
public sealed record MosquittoOptions
{
    /// <summary>
    /// TLS with client certificates, as the shipped mosquitto.conf sets its listeners: devices on
    /// <see cref="MosquittoBroker.Port"/>, fleet tools on <see cref="MosquittoBroker.ToolsPort"/>.
    /// </summary>
    public TestPki? Tls { get; init; }

    /// <summary>Leaves out the shipped <c>use_username_as_clientid</c>: shows the session takeover it prevents.</summary>
    public bool WithoutClientIdBinding { get; init; }

    /// <summary>An ACL file (e.g. the shipped firmware-config/broker/acl).</summary>
    public string? AclFile { get; init; }

    /// <summary><c>message_size_limit</c>: larger QoS 1 publishes get PUBACK 0x95 and are dropped.</summary>
    public int? MessageSizeLimitBytes { get; init; }

    /// <summary><c>max_packet_size</c>: a larger packet disconnects the client; advertised in CONNACK.</summary>
    public int? MaxPacketSizeBytes { get; init; }

    /// <summary>Sessions and queued messages saved on a graceful stop and restored on start.</summary>
    public bool Persistence { get; init; }

    /// <summary><c>max_inflight_messages</c> per client.</summary>
    public int? MaxInflightMessages { get; init; }

    /// <summary>
    /// Also logs notices (<c>log_type notice</c>): each client's connect (with the client id it got),
    /// disconnect and session takeover, so a test can count a device's sessions in <see cref="MosquittoBroker.Log"/>.
    /// </summary>
    public bool LogConnections { get; init; }
}

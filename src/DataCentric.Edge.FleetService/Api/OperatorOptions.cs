using DataCentric.Edge.Uplink.Broker;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// The operator link (<c>Operator</c> section): dce-fleet's MQTT session as the <c>dce-operator</c>
/// identity, which sends pulls to devices and publishes signed trigger sets. Without
/// <see cref="Broker"/> the link is off: operator actions answer 503 and pulls are only recorded.
/// </summary>
public sealed class OperatorOptions
{
    public const string SectionName = "Operator";

    /// <summary>The session's MQTT client id and the last segment of its reply topics; give each instance its own (one id, one session).</summary>
    public string ClientId { get; set; } = "dce-fleet-operator";

    /// <summary>How long one command (listClips, pullClip) may wait for the device's answer.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The first wait before a pull whose device did not answer (or is not listening) is tried again; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Tries per pull before it is marked failed with the last reason.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Pulls waiting to be sent; past it a new pull stays requested until it is posted again.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Pulls sent at once (each waits on one device's answers).</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>At most this many clips of a window are listed (listClips' limit).</summary>
    public int MaxClipsPerPull { get; set; } = 500;

    /// <summary>The broker's tools listener and the <c>dce-operator</c> certificate; null (absent) turns the link off.</summary>
    public UplinkOptions? Broker { get; set; }
}

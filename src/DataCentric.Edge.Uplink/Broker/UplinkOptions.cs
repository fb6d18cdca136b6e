using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Uplink.Broker;

/// <summary>How the agent reaches its MQTT broker and how it sends clips.</summary>
public sealed class UplinkOptions : IValidatableObject
{
    public const string SectionName = "Uplink";

    [Required]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port; with the embedded broker, 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Run MQTTnet's broker inside the agent (the demo default; no outside broker needed).</summary>
    public bool UseEmbeddedBroker { get; set; }

    /// <summary>Clip chunk size; 128 KiB fits brokers such as AWS IoT Core.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int ChunkBytes { get; set; } = 128 * 1024;

    /// <summary>TCP buffer of the client; the 8 KiB default disables Linux auto-tuning (STACK-NOTES).</summary>
    [Range(8 * 1024, 64 * 1024 * 1024)]
    public int SocketBufferBytes { get; set; } = 1 << 20;

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait between reconnect attempts; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the broker keeps the device's session (and queued acks) while it is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long the last chunk the broker acknowledged in order may stay unsaved in the catalog while
    /// the uploader waits for the broker; it is also saved every 8 chunks, at a clean stop and when a
    /// clip ends. A kill resends at most that much plus the chunks in flight (the receiver drops duplicates).
    /// </summary>
    public TimeSpan ProgressSaveInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A clip sent whole but not acknowledged by a receiver within this is sent again (harmless: the receiver deduplicates).</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// When the broker answers a clip's manifest or chunk with "no matching subscribers" (PUBACK 0x10:
    /// no receiver is there), uploads stop and are tried again after this, doubling up to
    /// <see cref="MaxNoReceiverRetry"/>: a receiver that comes back gets the clip within that, not after <see cref="AckTimeout"/>.
    /// </summary>
    public TimeSpan NoReceiverRetry { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between tries while no receiver is there (each try is one manifest publish).</summary>
    public TimeSpan MaxNoReceiverRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the device publishes its per-trigger counters (<c>{device}/triggers/counters</c>); the
    /// counts are cumulative, so a longer interval only coarsens the rates the fleet derives.
    /// </summary>
    public TimeSpan TriggerCountersInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>TLS to the broker; with client certificates the broker's ACL scopes the device to its topics.</summary>
    public bool UseTls { get; set; }

    /// <summary>PEM CA that signed the broker's certificate; null trusts the system store.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>PEM client certificate (CN = device id) and its key.</summary>
    public string? ClientCertificatePath { get; set; }

    public string? ClientKeyPath { get; set; }

    /// <summary>Upload bandwidth cap in bytes per second; 0 is no cap.</summary>
    [Range(0, long.MaxValue)]
    public long MaxBytesPerSecond { get; set; }

    /// <summary>Smallest chunk the uploader falls back to when the broker refuses bigger packets; below it uploads pause.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MinChunkBytes { get; set; } = 16 * 1024;

    /// <summary>Network interfaces that count as unmetered for the <c>wifiOnly</c> upload policy (e.g. wlan0, eth0).</summary>
    public IList<string> UnmeteredInterfaces { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ProgressSaveInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"ProgressSaveInterval must be positive, not {ProgressSaveInterval}.", [nameof(ProgressSaveInterval)]);
        }

        if (NoReceiverRetry <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"NoReceiverRetry must be positive, not {NoReceiverRetry}.", [nameof(NoReceiverRetry)]);
        }

        if (MaxNoReceiverRetry < NoReceiverRetry || MaxNoReceiverRetry >= AckTimeout)
        {
            yield return new ValidationResult(
                $"MaxNoReceiverRetry ({MaxNoReceiverRetry}) must be at least NoReceiverRetry ({NoReceiverRetry}) and below AckTimeout ({AckTimeout}): it bounds how late a clip reaches a receiver that comes back.",
                [nameof(MaxNoReceiverRetry)]);
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Core.Configuration;

public sealed class ReceiverOptions
{
    public const string SectionName = "Receiver";

    /// <summary>Where received clips land, as {fleet}/{device}/{file}.</summary>
    [Required]
    public string OutputDirectory { get; set; } = "received-clips";

    [Required]
    public string ClientId { get; set; } = "dce-receiver";

    /// <summary>MQTT 5 shared-subscription group so several receivers split the fleet; null subscribes directly (the embedded broker has no shared subscriptions).</summary>
    public string? SharedGroup { get; set; }

    /// <summary>Clips being assembled at once; beyond this the oldest partial state is forgotten (its chunks are re-sent on the next manifest).</summary>
    [Range(1, 100_000)]
    public int MaxClipsInFlight { get; set; } = 256;
}

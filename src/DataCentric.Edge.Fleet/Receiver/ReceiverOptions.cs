using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Fleet.Receiver;

/// <summary>The fleet-side clip receiver (edgectl receive, and the demo's in-process one).</summary>
public sealed class ReceiverOptions
{
    public const string SectionName = "Receiver";

    /// <summary>Where received clips land, as {fleet}/{device}/{yyyy-MM-dd}/{file}, with index.jsonl at the top; may be shared by several receivers.</summary>
    [Required]
    public string OutputDirectory { get; set; } = "received-clips";

    [Required]
    public string ClientId { get; set; } = "dce-receiver";

    /// <summary>MQTT 5 shared-subscription group so several receivers split the fleet; null subscribes directly (the embedded broker has no shared subscriptions).</summary>
    public string? SharedGroup { get; set; }

    /// <summary>How often a receiver looks for clips whose chunks were split between the receivers of its shared group.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A partial clip nothing was written to for this long is removed by the sweep.</summary>
    public TimeSpan AbandonPartialAfter { get; set; } = TimeSpan.FromHours(24);
}

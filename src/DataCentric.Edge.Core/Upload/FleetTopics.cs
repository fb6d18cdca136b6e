namespace DataCentric.Edge.Core.Upload;

/// <summary>
/// The MQTT topic contract, version 1: everything of one device lives under
/// <c>dce/v1/{fleet}/{device}/</c> so a broker ACL can scope a device to its own subtree.
/// </summary>
public sealed class FleetTopics
{
    public const string Root = "dce/v1";

    public FleetTopics(string fleet, string device)
    {
        Validate(fleet, nameof(fleet));
        Validate(device, nameof(device));
        Fleet = fleet;
        Device = device;
        Prefix = $"{Root}/{fleet}/{device}";
    }

    public string Fleet { get; }

    public string Device { get; }

    public string Prefix { get; }

    /// <summary>Retained; the Last Will sets it to offline.</summary>
    public string Status => $"{Prefix}/status";

    public string Events => $"{Prefix}/events";

    public string ClipManifest(string clipId) => $"{Prefix}/clips/{clipId}/manifest";

    public string ClipChunk(string clipId) => $"{Prefix}/clips/{clipId}/chunk";

    public string ClipAck(string clipId) => $"{Prefix}/clips/{clipId}/ack";

    public string ClipAcks => $"{Prefix}/clips/+/ack";

    /// <summary>What a receiver subscribes to: manifests of every device of every fleet.</summary>
    public static string AllClipManifests => $"{Root}/+/+/clips/+/manifest";

    /// <summary>What a receiver subscribes to: chunks of every device of every fleet.</summary>
    public static string AllClipChunks => $"{Root}/+/+/clips/+/chunk";

    /// <summary>Splits <c>dce/v1/{fleet}/{device}/clips/{clipId}/{kind}</c>; false for any other topic.</summary>
    public static bool TryParseClipTopic(string topic, out string fleet, out string device, out string clipId, out string kind)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var parts = topic.Split('/');
        var ok = parts.Length == 7 && parts[0] == "dce" && parts[1] == "v1" && parts[4] == "clips"
            && parts[2].Length > 0 && parts[3].Length > 0 && parts[5].Length > 0;
        fleet = ok ? parts[2] : string.Empty;
        device = ok ? parts[3] : string.Empty;
        clipId = ok ? parts[5] : string.Empty;
        kind = ok ? parts[6] : string.Empty;
        return ok;
    }

    private static void Validate(string segment, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(segment, name);
        if (segment.AsSpan().IndexOfAny("/+#$ ") >= 0)
        {
            throw new ArgumentException($"'{segment}' is not a valid topic segment: no '/', '+', '#', '$' or spaces.", name);
        }
    }
}

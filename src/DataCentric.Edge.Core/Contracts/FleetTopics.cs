namespace DataCentric.Edge.Core.Contracts;

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

    /// <summary>Not retained: the device's cumulative per-trigger counters, every <c>Uplink:TriggerCountersInterval</c>.</summary>
    public string TriggerCounters => $"{Prefix}/triggers/counters";

    public string ClipManifest(string clipId) => $"{Prefix}/clips/{clipId}/manifest";

    public string ClipChunk(string clipId) => $"{Prefix}/clips/{clipId}/chunk";

    public string ClipAck(string clipId) => $"{Prefix}/clips/{clipId}/ack";

    public string ClipAcks => $"{Prefix}/clips/+/ack";

    /// <summary>Retained signed trigger set for this device alone.</summary>
    public string DeviceTriggerSet => $"{Prefix}/config/triggers";

    /// <summary>Retained: the device's answer to the last trigger set it saw (accepted or rejected, with every error).</summary>
    public string TriggerSetAck => $"{Prefix}/config/ack";

    /// <summary>Retained signed trigger set for every device of a group.</summary>
    public string GroupTriggerSet(string group) => GroupTriggerSet(Fleet, group);

    /// <summary>Retained signed trigger set for the whole fleet.</summary>
    public string FleetTriggerSet => FleetTriggerSetOf(Fleet);

    /// <summary>Commands to this device (MQTT 5 request; the reply goes to the request's response topic).</summary>
    public string CommandRequests => $"{Prefix}/commands/request";

    /// <summary>Where replies for <paramref name="requester"/> go; a device replies only under its own prefix.</summary>
    public string CommandReplies(string requester) => $"{Prefix}/commands/reply/{requester}";

    public string CommandRepliesPrefix => $"{Prefix}/commands/reply/";

    public static string GroupTriggerSet(string fleet, string group)
    {
        Validate(fleet, nameof(fleet));
        Validate(group, nameof(group));
        return $"{Root}/{fleet}/_groups/{group}/config/triggers";
    }

    public static string FleetTriggerSetOf(string fleet)
    {
        Validate(fleet, nameof(fleet));
        return $"{Root}/{fleet}/_fleet/config/triggers";
    }

    /// <summary>Every device's retained status in a fleet.</summary>
    public static string AllStatus(string fleet) => $"{Root}/{fleet}/+/status";

    /// <summary>Every device's trigger counters in a fleet.</summary>
    public static string AllTriggerCounters(string fleet) => $"{Root}/{fleet}/+/triggers/counters";

    /// <summary>Every device's trigger set ack in a fleet.</summary>
    public static string AllTriggerSetAcks(string fleet) => $"{Root}/{fleet}/+/config/ack";

    /// <summary>Splits <c>dce/v1/{fleet}/{device}/…</c>; false when the topic is not under the contract.</summary>
    public static bool TryParseDevice(string topic, out string fleet, out string device)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var parts = topic.Split('/');
        var ok = parts.Length >= 5 && parts[0] == "dce" && parts[1] == "v1" && parts[2].Length > 0 && parts[3].Length > 0;
        fleet = ok ? parts[2] : string.Empty;
        device = ok ? parts[3] : string.Empty;
        return ok;
    }

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
        if (segment.AsSpan().IndexOfAny("/+#$ ") >= 0 || segment.StartsWith('_'))
        {
            throw new ArgumentException($"'{segment}' is not a valid topic segment: no '/', '+', '#', '$' or spaces, and no leading '_' (kept for _groups and _fleet).", name);
        }
    }
}

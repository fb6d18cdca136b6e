using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// Where model releases travel (contract <c>dce/v1</c>, CONTRACT.md "Model releases"): the signed
/// release per target and model name, the file in content-addressed chunks shared by every target,
/// and each device's retained ack per model name.
/// </summary>
public static class ModelTopics
{
    /// <summary>Every chunk but the last is exactly this long: fixed by the contract, not carried in the signed payload.</summary>
    public const int ChunkBytes = 128 * 1024;

    public static string DeviceRelease(string fleet, string device, string name) => $"{new FleetTopics(fleet, device).Prefix}/models/{Segment(name)}/release";

    public static string GroupRelease(string fleet, string group, string name) =>
        $"{GroupPrefix(fleet, group)}/models/{Segment(name)}/release";

    public static string FleetRelease(string fleet, string name) => $"{FleetPrefix(fleet)}/models/{Segment(name)}/release";

    /// <summary>The topic a signed release belongs on, from its own target.</summary>
    public static string ReleaseOf(ModelReleasePayload release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return release.Target.Scope switch
        {
            TargetScope.Device => DeviceRelease(release.Fleet, release.Target.Name ?? throw new ArgumentException("the release targets a device without a name", nameof(release)), release.Name),
            TargetScope.Group => GroupRelease(release.Fleet, release.Target.Name ?? throw new ArgumentException("the release targets a group without a name", nameof(release)), release.Name),
            _ => FleetRelease(release.Fleet, release.Name),
        };
    }

    /// <summary>The release filters one device listens on: its own, each of its groups' and its fleet's, for any model name.</summary>
    public static IReadOnlyList<string> ReleaseFilters(FleetTopics device, IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(groups);
        return [$"{device.Prefix}/models/+/release", .. groups.Select(g => $"{GroupPrefix(device.Fleet, g)}/models/+/release"), $"{FleetPrefix(device.Fleet)}/models/+/release"];
    }

    /// <summary>The model name of a release topic (the segment before <c>/release</c>); null for any other topic.</summary>
    public static string? NameOfRelease(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var parts = topic.Split('/');
        return parts.Length >= 6 && parts[^1] == "release" && parts[^3] == "models" && parts[^2].Length > 0 ? parts[^2] : null;
    }

    public static string Chunk(string fleet, string sha256, int index) =>
        $"{ChunkPrefix(fleet, sha256)}{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The topic of chunk <c>i</c> is this followed by <c>i</c> in decimal.</summary>
    public static string ChunkPrefix(string fleet, string sha256) => $"{FleetTopics.Root}/{Segment(fleet)}/_models/{Segment(sha256.ToLowerInvariant())}/chunk/";

    public static string Ack(string fleet, string device, string name) => $"{new FleetTopics(fleet, device).Prefix}/models/{Segment(name)}/ack";

    /// <summary>Every device's model acks in a fleet, or one device's when <paramref name="device"/> is given.</summary>
    public static string Acks(string fleet, string? device = null) =>
        device is null ? $"{FleetTopics.Root}/{Segment(fleet)}/+/models/+/ack" : $"{new FleetTopics(fleet, device).Prefix}/models/+/ack";

    public static int ChunkCount(long sizeBytes) => checked((int)((sizeBytes + ChunkBytes - 1) / ChunkBytes));

    /// <summary>How long chunk <paramref name="index"/> of a file of <paramref name="sizeBytes"/> is.</summary>
    public static int ChunkLength(long sizeBytes, int index) => (int)Math.Min(ChunkBytes, sizeBytes - ((long)index * ChunkBytes));

    private static string GroupPrefix(string fleet, string group) =>
        FleetTopics.GroupTriggerSet(fleet, group)[..^"/config/triggers".Length];

    private static string FleetPrefix(string fleet) => FleetTopics.FleetTriggerSetOf(fleet)[..^"/config/triggers".Length];

    private static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return value.AsSpan().IndexOfAny("/+#$ \t\r\n") >= 0
            ? throw new ArgumentException($"'{value}' is not a topic segment: no '/', '+', '#', '$' or spaces", nameof(value))
            : value;
    }
}

using System.Security.Cryptography;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>Rows for the catalog tests; times carry sub-microsecond ticks on purpose (both stores keep microseconds).</summary>
internal static class CatalogSamples
{
    public static readonly DateTimeOffset Hour0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset T0 = Hour0.AddTicks(1_234_567);

    public static string Sha(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

    public static CatalogClip Clip(
        string clipId,
        DateTimeOffset? start = null,
        string fleet = "acme",
        string device = "cam-1",
        string[]? triggers = null,
        string? model = null) =>
        new(
            clipId,
            fleet,
            device,
            $"{clipId}.mcap",
            4096,
            Sha(clipId),
            $"{fleet}/{device}/2026-12-05/{clipId}.mcap",
            5,
            triggers ?? ["brake-disagree"],
            model ?? Sha("model-a"),
            120,
            start ?? T0,
            (start ?? T0).AddSeconds(20),
            T0.AddMinutes(5));

    public static EventSummary Event(string eventId, DateTimeOffset? at = null, string[]? triggers = null, bool dryRun = false, string? clipId = null) =>
        new(eventId, triggers ?? ["brake-disagree"], at ?? T0, 5, dryRun, 3, clipId);

    public static DeviceStatus Status(string device, string state, string fleet = "acme", int? version = 3) =>
        new(fleet, device, state, state == "paused" ? "broker packet limit" : null) { TriggerSetVersion = version, At = T0 };

    /// <summary>A cumulative report read <paramref name="minutes"/> after Hour0, counting since Hour0 + <paramref name="startedMinutes"/>.</summary>
    public static TriggerCountersReport Counters(double minutes, (string Trigger, long Fires, long Cooldown)[] counts, double startedMinutes = 0, string device = "cam-1") =>
        new("acme", device, Hour0.AddMinutes(minutes).AddTicks(7), Hour0.AddMinutes(startedMinutes).AddTicks(3), 3, 60,
            [.. counts.Select(c => new TriggerCountersEntry(c.Trigger, c.Fires * 10, c.Fires, 0, c.Cooldown, 0, 0, 0, 0, null))]);

    /// <summary>A device's trigger-set ack at T0 + <paramref name="minutes"/>: accepted when <paramref name="errors"/> is empty.</summary>
    public static TriggerSetAck Ack(int version, string[] errors, int activeVersion, double minutes = 0, string device = "cam-1") =>
        new("acme", device, $"dce/v1/acme/{device}/config/triggers", errors.Length == 0 ? TriggerSetDecision.Accepted : TriggerSetDecision.Rejected,
            version, "fleet-key-1", activeVersion, errors, T0.AddMinutes(minutes));

    public static PullRequest Pull(string pullId, string device = "cam-1", int minutes = 0) =>
        new(pullId, "acme", device, T0.AddMinutes(minutes), T0.AddMinutes(minutes + 1), 7, PullState.Requested, null, T0.AddMinutes(minutes), T0.AddMinutes(minutes));

    /// <summary>What the catalog keeps of a time: UTC, whole microseconds.</summary>
    public static DateTimeOffset Stored(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero);
}

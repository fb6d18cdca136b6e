using System.Text.Json;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// The commands a device answers (contract dce/v1). The device's handlers are registered in one
/// list (DataCentric.Edge.Uplink.Commands.DeviceCommandList), which is what it answers to.
/// </summary>
public static partial class CommandNames
{
    public const string Ping = "ping";
    public const string ListEvents = "listEvents";
    public const string ListClips = "listClips";
    public const string PullClip = "pullClip";
    public const string PullWindow = "pullWindow";
    public const string Pin = "pin";
    public const string Unpin = "unpin";
    public const string RollbackTriggers = "rollbackTriggers";
}

/// <summary>
/// A request, sent as an MQTT 5 request (response topic + correlation data) to
/// <c>dce/v1/{fleet}/{device}/commands/request</c>. Fields a command does not use are left out.
/// </summary>
public sealed record CommandRequest(string Command)
{
    public string? ClipId { get; init; }

    public string? EventId { get; init; }

    public string? TriggerId { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>pullWindow: seconds before the event.</summary>
    public double? BeforeSeconds { get; init; }

    /// <summary>pullWindow: seconds after the event.</summary>
    public double? AfterSeconds { get; init; }

    public int? Limit { get; init; }

    /// <summary>recordDrive: how many minutes to record.</summary>
    public double? Minutes { get; init; }

    /// <summary>recordDrive: keep the camera frames too.</summary>
    public bool? Frames { get; init; }

    /// <summary>rollbackModel: the model name (an Inference:Models entry's name).</summary>
    public string? ModelName { get; init; }
}

/// <summary>The answer, on the request's response topic with its correlation data: a result, or an error that says what.</summary>
public sealed record CommandReply(string Device, string Command, bool Ok, string? Error, JsonElement? Result);

public sealed record PingResult(string Fleet, string Device, DateTimeOffset Time, int TriggerSetVersion, int PendingUploads);

public sealed record EventSummary(string EventId, IReadOnlyList<string> TriggerIds, DateTimeOffset WallClock, int Priority, bool DryRun, int TriggerSetVersion, string? ClipId);

public sealed record ClipSummary(
    string ClipId, string FileName, long SizeBytes, int Priority, IReadOnlyList<string> TriggerIds, DateTimeOffset StartWall, DateTimeOffset EndWall,
    UploadState UploadState, bool Pinned);

public sealed record PullResult(string ClipId, UploadState UploadState, bool Queued, string? Detail);

public sealed record TimeRange(DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// What a window pull found: the clips covering it (queued for upload) and the parts no stored clip
/// covers. <see cref="EventId"/> is null for an absolute window (<c>from</c>/<c>to</c>).
/// </summary>
public sealed record PullWindowResult(string? EventId, TimeRange Window, IReadOnlyList<string> ClipIds, IReadOnlyList<TimeRange> Uncovered)
{
    /// <summary>Parts of the uncovered ranges being cut from the device's recent buffer; those clips upload when complete.</summary>
    public IReadOnlyList<TimeRange> FromBuffer { get; init; } = [];

    /// <summary>What the device still holds, so an asker can see why a part is gone.</summary>
    public DeviceHoldings? Holds { get; init; }
}

/// <summary>The pin's new state, and how much of the device's pin budget pinned clips now use.</summary>
public sealed record PinResult(string ClipId, bool Pinned)
{
    public long PinnedBytes { get; init; }

    public long MaxPinnedBytes { get; init; }
}

public sealed record RollbackResult(bool RolledBack, int ActiveVersion);

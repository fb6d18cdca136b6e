using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Api;

namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>Who signed in: the name and role of the token (<c>GET /api/console/session</c>).</summary>
public sealed record ConsoleSession(string Name, string Role);

/// <summary>
/// A device on the fleet page: the catalog's record and, when the device reported one since this
/// service started (its retained status is re-read at start), the health part of its latest status.
/// </summary>
/// <param name="Health">Null: the device has not reported health (an older agent, or only its Last Will was seen).</param>
public sealed record ConsoleDevice(
    string Fleet,
    string Device,
    string State,
    string? Detail,
    int? TriggerSetVersion,
    DateTimeOffset? StatusAt,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    HealthSummary? Health)
{
    /// <summary>The device's latest trigger-set decision; null until one arrived.</summary>
    public ApiTriggerSetAck? TriggerSetAck { get; init; }

    /// <summary>The device's models: running version and last release step, by name.</summary>
    public IReadOnlyList<ApiDeviceModel> Models { get; init; } = [];

    /// <summary>The groups the device announced in its status since this service started (its retained status is re-read at start); empty when none.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];
}

/// <summary>Everything the clip view draws, in one answer: frames (times only), signals, the shadow model's boxes, trigger events.</summary>
/// <param name="DurationMs">Clip end minus start; every <c>TimeMs</c> counts from the clip's start.</param>
public sealed record ClipFrameIndex(
    ApiClip Clip,
    double DurationMs,
    IReadOnlyList<ClipFrameInfo> Frames,
    IReadOnlyList<ClipSignalSeries> Signals,
    IReadOnlyList<ClipDetectionSeries> Detections,
    IReadOnlyList<ClipTriggerInfo> Events,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>One camera frame; its image is <c>GET /api/clips/{clipId}/frames/{Index}</c>.</summary>
public sealed record ClipFrameInfo(int Index, double TimeMs, DateTimeOffset WallClock, int Width, int Height, string Format, int Bytes);

/// <summary>A numeric or boolean signal (true is 1) as two parallel arrays.</summary>
public sealed record ClipSignalSeries(string Name, string Kind, IReadOnlyList<double> TimeMs, IReadOnlyList<double> Values);

/// <summary>A detections signal (the shadow model's boxes) over time.</summary>
public sealed record ClipDetectionSeries(string Name, IReadOnlyList<ClipDetectionSample> Samples);

public sealed record ClipDetectionSample(double TimeMs, IReadOnlyList<ClipBox> Boxes);

/// <summary>One box in normalised image coordinates (0..1 from the top left).</summary>
public sealed record ClipBox(int ClassId, float Score, float X, float Y, float Width, float Height);

public sealed record ClipTriggerInfo(string EventId, double TimeMs, DateTimeOffset WallClock, int TriggerSetVersion, bool DryRun, IReadOnlyList<ClipTriggerHit> Triggers);

public sealed record ClipTriggerHit(string TriggerId, string Expression, int Priority, double PreMs, double PostMs);

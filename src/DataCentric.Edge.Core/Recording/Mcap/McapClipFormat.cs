using System.Globalization;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// The names a clip file uses (topics, schemas, metadata) and its time mapping, shared by
/// <see cref="McapClipWriter"/> and <see cref="McapClipReader"/>.
/// </summary>
public static class McapClipFormat
{
    /// <summary>Bumped when a reader of the previous version could no longer restore a clip.</summary>
    public const string FormatVersion = "1";

    public const string CameraTopic = "/camera";
    public const string SignalTopicPrefix = "/signals/";
    public const string EventsTopic = "/events";

    public const string CompressedImageSchema = "foxglove.CompressedImage";
    public const string ImageAnnotationsSchema = "foxglove.ImageAnnotations";
    public const string TriggerEventSchema = "datacentric.edge.TriggerEvent";
    public const string JsonSchemaEncoding = "jsonschema";
    public const string JsonMessageEncoding = "json";

    /// <summary>Metadata record with clip id, window and wall-clock start.</summary>
    public const string ClipInfoMetadata = "clip.info";

    /// <summary>Metadata record holding <c>ClipContent.Metadata</c> as it is (model SHA-256, agent version, device id...).</summary>
    public const string ClipMetadata = "clip";

    /// <summary>One metadata record per trigger event.</summary>
    public const string TriggerEventMetadata = "trigger_event";

    /// <summary>
    /// Channel metadata of an image-annotations channel: the detections signal it draws and the
    /// camera (frame id, topic) whose images it belongs over. Not <see cref="SignalNameKey"/>: readers
    /// restore signals from their own channels only.
    /// </summary>
    public const string AnnotationsSignalKey = "source_signal";
    public const string AnnotationsFrameIdKey = "frame_id";
    public const string AnnotationsCameraTopicKey = "image_topic";

    /// <summary>Channel metadata keys of a signal channel.</summary>
    internal const string SignalNameKey = "signal_name";
    internal const string SignalIdKey = "signal_id";
    internal const string SignalKindKey = "kind";

    /// <summary><c>/camera</c> for the default frame id, <c>/camera/&lt;frame id&gt;</c> for other cameras.</summary>
    public static string CameraTopicFor(string frameId) =>
        frameId == "camera" ? CameraTopic : CameraTopic + "/" + frameId;

    public static string SignalTopicFor(string signalName) => SignalTopicPrefix + signalName;

    /// <summary><c>/camera/annotations/&lt;signal&gt;</c>: beside the camera's topic, one channel per detections signal.</summary>
    public static string AnnotationsTopicFor(string frameId, string signalName) => CameraTopicFor(frameId) + "/annotations/" + signalName;

    public static string SignalSchemaFor(SignalKind kind) => "datacentric.edge." + kind + "Signal";

    internal static string KindName(SignalKind kind) => kind switch
    {
        SignalKind.Number => "number",
        SignalKind.Bool => "bool",
        SignalKind.Text => "text",
        SignalKind.Detections => "detections",
        SignalKind.Vector => "vector",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown signal kind."),
    };

    internal static SignalKind ParseKind(string name) => name switch
    {
        "number" => SignalKind.Number,
        "bool" => SignalKind.Bool,
        "text" => SignalKind.Text,
        "detections" => SignalKind.Detections,
        "vector" => SignalKind.Vector,
        _ => throw new InvalidDataException($"Unknown signal kind '{name}' in clip file."),
    };

    /// <summary>Monotonic time as integer nanoseconds (exact: a tick is 100 ns).</summary>
    internal static long ToNanoseconds(TimeSpan time) => checked(time.Ticks * 100);

    internal static TimeSpan FromNanoseconds(long nanoseconds) => TimeSpan.FromTicks(nanoseconds / 100);

    internal static string FormatWallClock(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseWallClock(string value) =>
        DateTimeOffset.ParseExact(value, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    internal static string FormatInteger(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static long ParseInteger(string value) => long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}

/// <summary>
/// Maps the agent's monotonic time to MCAP log time: nanoseconds since the Unix epoch (what
/// Foxglove expects), as <c>WallClockStart + (t − Start)</c>, so clip order follows the monotonic clock.
/// </summary>
internal readonly struct McapClipClock(TimeSpan start, DateTimeOffset wallClockStart)
{
    private readonly long _wallStartNanoseconds = checked((wallClockStart.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100);

    public ulong LogTime(TimeSpan monotonic)
    {
        var nanoseconds = checked(_wallStartNanoseconds + ((monotonic - start).Ticks * 100));
        if (nanoseconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(monotonic), monotonic, "This time maps to before the Unix epoch; check the clip's WallClockStart.");
        }

        return (ulong)nanoseconds;
    }
}

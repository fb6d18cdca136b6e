using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using static DataCentric.Edge.Core.Recording.Mcap.McapClipFormat;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// Writes a recorded drive as it happens: the same MCAP layout as a clip (<see cref="McapClipWriter"/>,
/// so <see cref="McapClipReader"/> and Foxglove read it), but appended message by message instead of
/// from one <see cref="ClipContent"/> in memory, so an hour with frames never has to fit in RAM.
/// Frames are kept only when asked; either way their encoded size is measured, so the drive says
/// what a clip of it costs per second (<see cref="DriveMetadataKeys.ClipBytesPerSecond"/>).
/// </summary>
/// <remarks>Not thread-safe: one recording loop appends. Messages are written in arrival order.</remarks>
public sealed class McapDriveWriter : IDisposable
{
    /// <summary>An MCAP message record's header (opcode, length, channel, sequence, two times) and its message-index entry.</summary>
    private const int MessageOverheadBytes = 1 + 8 + 2 + 4 + 8 + 8 + 16;

    private readonly McapWriter _mcap;
    private readonly McapClipJsonWriter _json = new();
    private readonly McapClipClock _clock;
    private readonly string _driveId;
    private readonly TimeSpan _start;
    private readonly DateTimeOffset _wallClockStart;
    private readonly bool _keepFrames;
    private readonly Dictionary<string, ushort> _cameras = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ushort Channel, SignalKind Kind)> _signals = new(StringComparer.Ordinal);
    private readonly Dictionary<SignalKind, ushort> _signalSchemas = [];
    private readonly List<uint> _sequences = [];
    private ushort _imageSchema;
    private const int SummaryReserveBytes = 64 * 1024;

    private long _measuredBytes;
    private int _largestMessage;
    private TimeSpan _last;

    public McapDriveWriter(Stream destination, string driveId, TimeSpan start, DateTimeOffset wallClockStart, bool keepFrames)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentException.ThrowIfNullOrWhiteSpace(driveId);
        _mcap = new McapWriter(destination, new McapWriterOptions { ChunkThresholdBytes = ChunkThresholdBytes });
        _clock = new McapClipClock(start, wallClockStart);
        _driveId = driveId;
        _start = start;
        _last = start;
        _wallClockStart = wallClockStart;
        _keepFrames = keepFrames;
    }

    /// <summary>Records held in memory before a chunk goes to the stream: what <see cref="BytesWritten"/> may lag by.</summary>
    public static int ChunkThresholdBytes => 256 * 1024;

    /// <summary>
    /// A bound on the file's size were it finished now, for a disk budget: the bytes on the stream,
    /// the open chunk (which may overshoot its threshold by one message) and room for the summary.
    /// </summary>
    public long BytesWritten => _mcap.Position + ChunkThresholdBytes + _largestMessage + SummaryReserveBytes;

    public long Frames { get; private set; }

    public long FramesKept { get; private set; }

    public long Samples { get; private set; }

    /// <summary>Samples left out because their signal changed kind mid-drive (a channel has one kind).</summary>
    public long SamplesSkipped { get; private set; }

    /// <summary>Appends a frame if frames are kept; measures its encoded size either way.</summary>
    public void Add(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Time < _start)
        {
            return;
        }

        var logTime = _clock.LogTime(frame.Time);
        var payload = _json.Frame(frame, logTime);
        _measuredBytes += payload.Length + MessageOverheadBytes;
        _largestMessage = Math.Max(_largestMessage, payload.Length + MessageOverheadBytes);
        Frames++;
        Advance(frame.Time);
        if (!_keepFrames)
        {
            return;
        }

        if (!_cameras.TryGetValue(frame.FrameId, out var channel))
        {
            if (_imageSchema == 0)
            {
                _imageSchema = _mcap.AddSchema(CompressedImageSchema, JsonSchemaEncoding, McapClipSchemas.CompressedImage);
            }

            channel = AddChannel(_imageSchema, CameraTopicFor(frame.FrameId), null);
            _cameras[frame.FrameId] = channel;
        }

        _mcap.WriteMessage(channel, _sequences[channel]++, logTime, logTime, payload);
        FramesKept++;
    }

    public void Add(SignalUpdate update)
    {
        if (update.Sample.Time < _start)
        {
            return;
        }

        var kind = update.Sample.Value.Kind;
        if (!_signals.TryGetValue(update.Name, out var known))
        {
            if (!_signalSchemas.TryGetValue(kind, out var schema))
            {
                schema = _mcap.AddSchema(SignalSchemaFor(kind), JsonSchemaEncoding, McapClipSchemas.Signal(kind));
                _signalSchemas[kind] = schema;
            }

            var metadata = new Dictionary<string, string>
            {
                [SignalNameKey] = update.Name,
                [SignalIdKey] = FormatInteger(update.Id.Value),
                [SignalKindKey] = KindName(kind),
            };
            known = (AddChannel(schema, SignalTopicFor(update.Name), metadata), kind);
            _signals[update.Name] = known;
        }
        else if (known.Kind != kind)
        {
            SamplesSkipped++;
            return;
        }

        var logTime = _clock.LogTime(update.Sample.Time);
        var payload = _json.Signal(update);
        _measuredBytes += payload.Length + MessageOverheadBytes;
        _largestMessage = Math.Max(_largestMessage, payload.Length + MessageOverheadBytes);
        _mcap.WriteMessage(known.Channel, _sequences[known.Channel]++, logTime, logTime, payload);
        Samples++;
        Advance(update.Sample.Time);
    }

    /// <summary>Writes the drive's metadata (its span, what a clip of it costs per second, <paramref name="metadata"/>) and the summary.</summary>
    /// <param name="end">Monotonic end of the drive; the newest message time when earlier.</param>
    public void Finish(TimeSpan end, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        end = end < _last ? _last : end;
        var info = new ClipContent(_driveId, _start, end, _wallClockStart, [], [], [], new Dictionary<string, string>());
        _mcap.WriteMetadata(ClipInfoMetadata, McapClipMetadata.Info(info));
        var seconds = (end - _start).TotalSeconds;
        var measured = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DriveMetadataKeys.Frames] = Frames.ToString(CultureInfo.InvariantCulture),
            [DriveMetadataKeys.FramesKept] = FramesKept.ToString(CultureInfo.InvariantCulture),
            [DriveMetadataKeys.Samples] = Samples.ToString(CultureInfo.InvariantCulture),
        };
        if (seconds > 0)
        {
            measured[DriveMetadataKeys.ClipBytesPerSecond] = (_measuredBytes / seconds).ToString("0.#", CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in metadata)
        {
            measured[key] = value;
        }

        _mcap.WriteMetadata(ClipMetadata, measured.OrderBy(pair => pair.Key, StringComparer.Ordinal));
        _mcap.Finish();
    }

    public void Dispose()
    {
        _json.Dispose();
        _mcap.Dispose();
    }

    private ushort AddChannel(ushort schema, string topic, IReadOnlyDictionary<string, string>? metadata)
    {
        var channel = _mcap.AddChannel(schema, topic, JsonMessageEncoding, metadata);
        _sequences.Add(0);
        return channel;
    }

    private void Advance(TimeSpan time)
    {
        if (time > _last)
        {
            _last = time;
        }
    }
}

/// <summary>Keys a recorded drive adds to its <c>clip</c> metadata record.</summary>
public static class DriveMetadataKeys
{
    /// <summary>What a clip recorded from the same sources costs per second, measured over the drive (frames included even when not kept).</summary>
    public const string ClipBytesPerSecond = "drive.clip_bytes_per_second";

    public const string Frames = "drive.frames";

    public const string FramesKept = "drive.frames_kept";

    public const string Samples = "drive.samples";

    /// <summary>Why the recording ended: its duration, a disk budget, shutdown.</summary>
    public const string StopReason = "drive.stop_reason";

    /// <summary>Signal updates the bus dropped because the drive writer was behind.</summary>
    public const string DroppedSamples = "drive.dropped_samples";

    /// <summary>Frames dropped because the drive writer was behind.</summary>
    public const string DroppedFrames = "drive.dropped_frames";

    /// <summary>Prefix of the shadow models' configuration (<c>Inference:…</c> keys), so a backtest can replay the frames through another model the same way.</summary>
    public const string InferenceConfigPrefix = "config:";
}

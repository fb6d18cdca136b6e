using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using static DataCentric.Edge.Core.Recording.Mcap.McapClipFormat;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// Writes a clip as MCAP that Foxglove opens: frames as <c>foxglove.CompressedImage</c> JSON on
/// <c>/camera</c> (<c>/camera/&lt;frame id&gt;</c> for other cameras), one JSON channel per signal on
/// <c>/signals/&lt;name&gt;</c>, events on <c>/events</c> and as <c>trigger_event</c> metadata, the
/// clip's own metadata in <c>clip</c> and <c>clip.info</c>. Messages are written in time order.
/// Each detections signal is also drawn for Foxglove's image panel: <c>foxglove.ImageAnnotations</c>
/// on <c>/camera/annotations/&lt;name&gt;</c>, in the camera's pixels, stamped like the frame it was computed on.
/// </summary>
/// <remarks>
/// JSON (base64 frames, a third larger) rather than protobuf: it needs no schema compiler, every
/// MCAP tool shows it as text, and frames are already-compressed JPEG, so the cost is bytes, not
/// a re-encode. Stateless between calls: one instance may serve concurrent writes.
/// </remarks>
public sealed class McapClipWriter(McapWriterOptions? options = null) : IClipWriter
{
    public string FileExtension => ".mcap";

    public void Write(ClipContent clip, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(destination);

        var clock = new McapClipClock(clip.Start, clip.WallClockStart);
        var frames = clip.Frames.OrderBy(f => f.Time).ToArray();
        var signals = clip.Signals.OrderBy(s => s.Sample.Time).ToArray();
        var events = clip.Events.OrderBy(e => e.Time).ToArray();

        using var mcap = new McapWriter(destination, options);
        using var json = new McapClipJsonWriter();
        using var annotations = new McapImageAnnotationsJson();

        mcap.WriteMetadata(ClipInfoMetadata, McapClipMetadata.Info(clip));
        mcap.WriteMetadata(ClipMetadata, clip.Metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal));
        foreach (var triggerEvent in clip.Events)
        {
            mcap.WriteMetadata(TriggerEventMetadata, McapClipMetadata.Event(triggerEvent));
        }

        var channels = new ClipChannels(mcap, frames, signals, events.Length > 0);
        var sequences = new uint[channels.Count];

        // Three-way merge by time; on equal times frames come first, then signals, then events.
        int f = 0, s = 0, e = 0;
        while (f < frames.Length || s < signals.Length || e < events.Length)
        {
            var frameTime = f < frames.Length ? frames[f].Time : TimeSpan.MaxValue;
            var signalTime = s < signals.Length ? signals[s].Sample.Time : TimeSpan.MaxValue;
            var eventTime = e < events.Length ? events[e].Time : TimeSpan.MaxValue;
            ushort channel;
            ulong logTime;
            ReadOnlySpan<byte> payload;
            if (f < frames.Length && frameTime <= signalTime && frameTime <= eventTime)
            {
                var frame = frames[f++];
                channel = channels.Camera(frame.FrameId);
                logTime = clock.LogTime(frame.Time);
                payload = json.Frame(frame, logTime);
            }
            else if (s < signals.Length && signalTime <= eventTime)
            {
                var update = signals[s++];
                channel = channels.Signal(update);
                logTime = clock.LogTime(update.Sample.Time);
                payload = json.Signal(update);
                if (channels.Annotations(update) is { } overlay)
                {
                    // Written before the signal (same log time): the payloads share no buffer.
                    var (width, height) = overlay.Camera.ImageSizeAt(update.Sample.Time);
                    var drawn = annotations.Encode(update.Sample.Value.AsDetections, logTime, width, height);
                    mcap.WriteMessage(overlay.Channel, sequences[overlay.Channel]++, logTime, logTime, drawn);
                }
            }
            else
            {
                var triggerEvent = events[e++];
                channel = channels.Events;
                logTime = clock.LogTime(triggerEvent.Time);
                payload = json.Event(triggerEvent);
            }

            mcap.WriteMessage(channel, sequences[channel]++, logTime, logTime, payload);
        }

        mcap.Finish();
    }

    /// <summary>Registers every schema and channel the clip needs before its first message.</summary>
    private sealed class ClipChannels
    {
        private readonly Dictionary<string, ushort> _cameras = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (ushort Channel, SignalKind Kind)> _signals = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (ushort Channel, CameraFrames Camera)> _annotations = new(StringComparer.Ordinal);

        public ClipChannels(McapWriter mcap, Frame[] frames, SignalUpdate[] signals, bool hasEvents)
        {
            if (frames.Length > 0)
            {
                var schema = mcap.AddSchema(CompressedImageSchema, JsonSchemaEncoding, McapClipSchemas.CompressedImage);
                foreach (var frame in frames)
                {
                    if (!_cameras.ContainsKey(frame.FrameId))
                    {
                        _cameras[frame.FrameId] = mcap.AddChannel(schema, CameraTopicFor(frame.FrameId), JsonMessageEncoding);
                        Count++;
                    }
                }
            }

            var signalSchemas = new Dictionary<SignalKind, ushort>();
            foreach (var update in signals)
            {
                var kind = update.Sample.Value.Kind;
                if (_signals.TryGetValue(update.Name, out var known))
                {
                    if (known.Kind != kind)
                    {
                        throw new ArgumentException($"Signal '{update.Name}' has samples of kind {known.Kind} and {kind}; a clip channel has one kind.", nameof(signals));
                    }

                    continue;
                }

                if (!signalSchemas.TryGetValue(kind, out var schema))
                {
                    schema = mcap.AddSchema(SignalSchemaFor(kind), JsonSchemaEncoding, McapClipSchemas.Signal(kind));
                    signalSchemas[kind] = schema;
                }

                var metadata = new Dictionary<string, string>
                {
                    [SignalNameKey] = update.Name,
                    [SignalIdKey] = FormatInteger(update.Id.Value),
                    [SignalKindKey] = KindName(kind),
                };
                _signals[update.Name] = (mcap.AddChannel(schema, SignalTopicFor(update.Name), JsonMessageEncoding, metadata), kind);
                Count++;
                if (kind == SignalKind.Detections && frames.Length > 0)
                {
                    AddAnnotations(mcap, frames, update.Name);
                }
            }

            if (hasEvents)
            {
                var schema = mcap.AddSchema(TriggerEventSchema, JsonSchemaEncoding, McapClipSchemas.TriggerEvent);
                Events = mcap.AddChannel(schema, EventsTopic, JsonMessageEncoding);
                Count++;
            }
        }

        private ushort? _annotationsSchema;

        public int Count { get; private set; }

        public ushort Events { get; }

        public ushort Camera(string frameId) => _cameras[frameId];

        public ushort Signal(SignalUpdate update) => _signals[update.Name].Channel;

        public (ushort Channel, CameraFrames Camera)? Annotations(SignalUpdate update) =>
            _annotations.TryGetValue(update.Name, out var overlay) ? overlay : null;

        /// <summary>Boxes belong over the default camera, else over the first camera of the clip.</summary>
        private void AddAnnotations(McapWriter mcap, Frame[] frames, string signalName)
        {
            _annotationsSchema ??= mcap.AddSchema(ImageAnnotationsSchema, JsonSchemaEncoding, McapClipSchemas.ImageAnnotations);
            var frameId = frames.Any(f => f.FrameId == "camera") ? "camera" : frames[0].FrameId;
            var metadata = new Dictionary<string, string>
            {
                [AnnotationsSignalKey] = signalName,
                [AnnotationsFrameIdKey] = frameId,
                [AnnotationsCameraTopicKey] = CameraTopicFor(frameId),
            };
            var channel = mcap.AddChannel(_annotationsSchema.Value, AnnotationsTopicFor(frameId, signalName), JsonMessageEncoding, metadata);
            _annotations[signalName] = (channel, new CameraFrames([.. frames.Where(f => f.FrameId == frameId)]));
            Count++;
        }
    }

    /// <summary>One camera's frames in time order, for the image size at a detection's time.</summary>
    private sealed class CameraFrames(Frame[] frames)
    {
        /// <summary>The size of the frame at <paramref name="time"/>, else of the latest before it, else of the first.</summary>
        public (int Width, int Height) ImageSizeAt(TimeSpan time)
        {
            int low = 0, high = frames.Length - 1, found = 0;
            while (low <= high)
            {
                var middle = (low + high) / 2;
                if (frames[middle].Time <= time)
                {
                    found = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return (frames[found].Width, frames[found].Height);
        }
    }
}

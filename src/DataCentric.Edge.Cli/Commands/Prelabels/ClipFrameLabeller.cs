using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// Picks a clip's frames (every Nth, or only those near a trigger) and pairs each with the shadow
/// model's outputs for that very frame (the runner stamps its signals with the frame's time) and the
/// primary controller's latest decision at or before it.
/// </summary>
internal sealed class ClipFrameLabeller(string camera, string boxesSignal, int every, TimeSpan? aroundTrigger)
{
    private const string ShadowPrefix = "shadow.";
    private const string PrimaryPrefix = "primary.";
    private static readonly IReadOnlyDictionary<string, double> NoValues = new Dictionary<string, double>(StringComparer.Ordinal);

    public ClipLabels Label(string clipFile, ClipContent clip)
    {
        var frames = clip.Frames.Where(f => f.FrameId == camera).OrderBy(f => f.Time).ToList();
        if (frames.Count == 0)
        {
            throw new PrelabelInputException($"{clipFile}: the clip has no frames from camera '{camera}' (missing frames); nothing was written.");
        }

        var boxesByTime = new Dictionary<TimeSpan, IReadOnlyList<Detection>>();
        var modelByTime = new Dictionary<TimeSpan, Dictionary<string, double>>();
        var primary = new List<SignalUpdate>();
        var hasDetections = false;
        foreach (var update in clip.Signals)
        {
            var value = update.Sample.Value;
            if (update.Name == boxesSignal && value.Kind == SignalKind.Detections)
            {
                hasDetections = true;
                boxesByTime[update.Sample.Time] = value.AsDetections;
            }
            else if (update.Name.StartsWith(ShadowPrefix, StringComparison.Ordinal) && value.Kind is SignalKind.Number or SignalKind.Bool)
            {
                if (!modelByTime.TryGetValue(update.Sample.Time, out var values))
                {
                    modelByTime[update.Sample.Time] = values = new Dictionary<string, double>(StringComparer.Ordinal);
                }

                values[update.Name] = value.Number;
            }
            else if (update.Name.StartsWith(PrimaryPrefix, StringComparison.Ordinal) && value.Kind is SignalKind.Number or SignalKind.Bool)
            {
                primary.Add(update);
            }
        }

        primary.Sort((a, b) => a.Sample.Time.CompareTo(b.Sample.Time));
        var triggerIds = clip.Events.SelectMany(e => e.Triggers).Select(t => t.TriggerId).Distinct(StringComparer.Ordinal).ToList();
        var device = clip.Metadata.GetValueOrDefault("device.id") ?? clip.Metadata.GetValueOrDefault("device") ?? string.Empty;
        var modelSha = clip.Metadata.GetValueOrDefault("model.sha256") ?? string.Empty;
        var modelName = clip.Metadata.GetValueOrDefault("model.name") ?? string.Empty;

        var selected = Select(frames, clip.Events);
        var labelled = new List<LabelledFrame>(selected.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var safeClip = SafeName(clip.ClipId);
        var primaryIndex = 0;
        var primaryNow = new Dictionary<string, double>(StringComparer.Ordinal);
        var primarySnapshot = NoValues;
        foreach (var frame in selected)
        {
            var primaryChanged = false;
            while (primaryIndex < primary.Count && primary[primaryIndex].Sample.Time <= frame.Time)
            {
                primaryNow[primary[primaryIndex].Name] = primary[primaryIndex].Sample.Value.Number;
                primaryIndex++;
                primaryChanged = true;
            }

            // Frames between two controller messages share one snapshot of its values.
            if (primaryChanged)
            {
                primarySnapshot = new Dictionary<string, double>(primaryNow, StringComparer.Ordinal);
            }

            var hasBoxes = boxesByTime.TryGetValue(frame.Time, out var detections);
            var hasValues = modelByTime.TryGetValue(frame.Time, out var values);
            var (boxes, clipped, dropped) = hasBoxes ? ToPixels(detections!, frame.Width, frame.Height) : (null, 0, 0);
            labelled.Add(new LabelledFrame(
                clipFile, clip.ClipId, device, modelSha, modelName, frame, ImageName(safeClip, frame, names),
                boxes, hasBoxes || hasValues, clipped, dropped,
                values ?? NoValues, primarySnapshot, triggerIds));
        }

        return new ClipLabels(clip.ClipId, hasDetections, labelled);
    }

    private List<Frame> Select(List<Frame> frames, IReadOnlyList<TriggerEvent> events)
    {
        IEnumerable<Frame> candidates = frames;
        if (aroundTrigger is { } window)
        {
            candidates = candidates.Where(f => events.Any(e => (f.Time - e.Time).Duration() <= window));
        }

        return [.. candidates.Where((_, i) => i % every == 0)];
    }

    /// <summary>
    /// Normalised boxes to pixels. Parts outside the image are clipped off (a detector's box may
    /// overhang the border; annotation tools refuse such boxes); a box left with no area is dropped.
    /// </summary>
    private static (List<PixelBox> Boxes, int Clipped, int Dropped) ToPixels(IReadOnlyList<Detection> detections, int width, int height)
    {
        var boxes = new List<PixelBox>(detections.Count);
        int clipped = 0, dropped = 0;
        foreach (var d in detections)
        {
            double left = d.X * width, top = d.Y * height;
            double right = (d.X + d.Width) * width, bottom = (d.Y + d.Height) * height;
            var x0 = Math.Clamp(left, 0, width);
            var y0 = Math.Clamp(top, 0, height);
            var x1 = Math.Clamp(right, 0, width);
            var y1 = Math.Clamp(bottom, 0, height);
            if (x1 - x0 <= 0 || y1 - y0 <= 0 || !double.IsFinite(x0 + y0 + x1 + y1))
            {
                dropped++;
                continue;
            }

            if (x0 != left || y0 != top || x1 != right || y1 != bottom)
            {
                clipped++;
            }

            boxes.Add(new PixelBox(d.ClassId, d.Score, x0, y0, x1 - x0, y1 - y0));
        }

        return (boxes, clipped, dropped);
    }

    /// <summary>The clip id as a file name part: letters, digits, '-' and '.', anything else '_'.</summary>
    private static string SafeName(string clipId) => string.Concat(clipId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));

    /// <summary><c>&lt;clip&gt;_&lt;frame wall clock, µs, UTC&gt;.jpg</c>; the sequence number is added only if two frames share a time.</summary>
    private static string ImageName(string safeClip, Frame frame, HashSet<string> taken)
    {
        var extension = frame.Format is "jpeg" or "jpg" ? "jpg" : frame.Format;
        var stamp = frame.WallClock.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'.'ffffff'Z'", CultureInfo.InvariantCulture);
        var name = $"{safeClip}_{stamp}.{extension}";
        if (!taken.Add(name))
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{safeClip}_{stamp}_{frame.Sequence}.{extension}");
            taken.Add(name);
        }

        return name;
    }
}

/// <summary>A clip's exported frames; <see cref="HasDetections"/> is false when the clip carries no boxes signal at all.</summary>
internal sealed record ClipLabels(string ClipId, bool HasDetections, IReadOnlyList<LabelledFrame> Frames);

using System.Text.Json;
using DataCentric.Edge.Cli.Commands.Prelabels;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>One trigger of one event of a frame's clip, <paramref name="OffsetSeconds"/> after the frame.</summary>
internal readonly record struct FrameEvent(string EventId, string Trigger, double OffsetSeconds);

/// <summary>One dataset frame as <c>dataset import</c> needs it (from <c>manifest.jsonl</c> and <c>review-frames.jsonl</c>).</summary>
internal sealed record DatasetFrame(
    string Image,
    string Clip,
    string Device,
    string Model,
    int Width,
    int Height,
    IReadOnlyList<FrameEvent> Events,
    IReadOnlyList<ReviewBox>? ShadowBoxes,
    IReadOnlyList<ReviewBox>? PrimaryBoxes,
    double? PrimaryBrake)
{
    /// <summary>The triggers of the frame's clip, each once.</summary>
    public IReadOnlyList<string> Triggers { get; } = [.. Events.Select(e => e.Trigger).Distinct(StringComparer.Ordinal)];
}

/// <summary>
/// A dataset <c>dataset build</c> wrote, read back: its id and classes (<c>dataset.json</c>) and its
/// frames by image file name. A frame is in the dataset when the manifest lists it.
/// </summary>
internal sealed class DatasetFrames
{
    private DatasetFrames(string id, IReadOnlySet<string> classes, Dictionary<string, DatasetFrame> frames)
    {
        Id = id;
        Classes = classes;
        ByImage = frames;
    }

    public string Id { get; }

    public IReadOnlySet<string> Classes { get; }

    /// <summary>By image file name (without <c>images/</c>).</summary>
    public IReadOnlyDictionary<string, DatasetFrame> ByImage { get; }

    /// <exception cref="PrelabelInputException">Not a dataset folder, or one of its files is malformed (file, line).</exception>
    public static DatasetFrames Load(string directory)
    {
        var reportPath = Path.Combine(directory, DatasetBuilder.ReportFile);
        var manifestPath = Path.Combine(directory, ManifestWriter.FileName);
        var reviewPath = Path.Combine(directory, ReviewFramesWriter.FileName);
        foreach (var path in new[] { reportPath, manifestPath, reviewPath })
        {
            if (!File.Exists(path))
            {
                throw new PrelabelInputException($"{Path.GetFullPath(directory)} is not a dataset from 'edgectl dataset build': {Path.GetFileName(path)} is missing.");
            }
        }

        string id;
        HashSet<string> classes;
        using (var report = Parse(reportPath, File.ReadAllText(reportPath), 1))
        {
            id = report.RootElement.GetProperty("dataset").GetString()!;
            classes = [.. report.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!)];
        }

        var inManifest = new HashSet<string>(StringComparer.Ordinal);
        ForEachLine(manifestPath, line => inManifest.Add(Name(line.GetProperty("image").GetString()!)));
        var frames = new Dictionary<string, DatasetFrame>(StringComparer.Ordinal);
        ForEachLine(reviewPath, line =>
        {
            var image = Name(line.GetProperty("image").GetString()!);
            if (inManifest.Contains(image))
            {
                frames[image] = new DatasetFrame(
                    image,
                    line.GetProperty("clip").GetString()!,
                    line.GetProperty("device").GetString()!,
                    line.GetProperty("model").GetString()!,
                    line.GetProperty("width").GetInt32(),
                    line.GetProperty("height").GetInt32(),
                    [.. line.GetProperty("events").EnumerateArray().Select(e => Event(e, line))],
                    Boxes(line.GetProperty("shadow_boxes")),
                    Boxes(line.GetProperty("primary_boxes")),
                    line.GetProperty("primary_brake") is { ValueKind: JsonValueKind.Number } brake ? brake.GetDouble() : null);
            }
        });
        return new DatasetFrames(id, classes, frames);
    }

    /// <summary>Datasets built before events carried their id: the clip stands for its one event.</summary>
    private static FrameEvent Event(JsonElement e, JsonElement line) => new(
        e.TryGetProperty("event", out var id) ? id.GetString()! : line.GetProperty("clip").GetString()!,
        e.GetProperty("trigger").GetString()!,
        e.GetProperty("offset_s").GetDouble());

    private static string Name(string image) => image[(image.LastIndexOf('/') + 1)..];

    private static List<ReviewBox>? Boxes(JsonElement boxes) => boxes.ValueKind == JsonValueKind.Null
        ? null
        : [.. boxes.EnumerateArray().Select(b => new ReviewBox(
            b.GetProperty("class").GetString()!, b.GetProperty("x").GetDouble(), b.GetProperty("y").GetDouble(), b.GetProperty("w").GetDouble(), b.GetProperty("h").GetDouble()))];

    private static void ForEachLine(string path, Action<JsonElement> read)
    {
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (text.Length == 0)
            {
                continue;
            }

            using var line = Parse(path, text, number);
            try
            {
                read(line.RootElement);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new PrelabelInputException($"{path}:{number}: not a line 'dataset build' writes: {e.Message}", e);
            }
        }
    }

    private static JsonDocument Parse(string path, string text, int line)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new PrelabelInputException($"{path}:{line + (e.LineNumber ?? 0)}:{(e.BytePositionInLine ?? 0) + 1}: not JSON: {e.Message}", e);
        }
    }
}

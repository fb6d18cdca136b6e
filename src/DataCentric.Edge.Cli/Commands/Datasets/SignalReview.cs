using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Cli.Commands.Prelabels;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// A stand-in for the human review, for demos and tests: a Label Studio JSON export of the dataset
/// whose annotations are a clip signal's boxes (the synthetic scene's exact <c>truth.boxes</c>) at each
/// frame — the latest sample at or before it — instead of a person's. Never the shadow model's.
/// </summary>
internal static class SignalReview
{
    public static async Task<int> WriteAsync(string datasetDirectory, string signal, ClassNames classes, string outputFile, CancellationToken cancellationToken)
    {
        var frames = new List<(string Image, string ClipFile, DateTimeOffset Time, int Width, int Height)>();
        foreach (var text in File.ReadLines(Path.Combine(datasetDirectory, ManifestWriter.FileName)))
        {
            using var line = JsonDocument.Parse(text);
            var root = line.RootElement;
            frames.Add((root.GetProperty("image").GetString()!, root.GetProperty("clip_file").GetString()!,
                DateTimeOffset.Parse(root.GetProperty("time").GetString()!, CultureInfo.InvariantCulture),
                root.GetProperty("width").GetInt32(), root.GetProperty("height").GetInt32()));
        }

        await using var stream = new FileStream(outputFile + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using (var json = new Utf8JsonWriter(stream, PrelabelJson.Indented))
        {
            json.WriteStartArray();
            var id = 0;
            foreach (var byClip in frames.GroupBy(f => f.ClipFile, StringComparer.Ordinal))
            {
                var clip = PrelabelExporter.Read(new FileInfo(byClip.Key));
                var samples = clip.Signals.Where(s => s.Name == signal && s.Sample.Value.Kind == SignalKind.Detections).OrderBy(s => s.Sample.Time).ToList();
                if (samples.Count == 0)
                {
                    throw new PrelabelInputException($"{byClip.Key}: the clip has no '{signal}' detections signal to review with.");
                }

                foreach (var frame in byClip)
                {
                    var at = clip.Frames.First(f => f.WallClock == frame.Time).Time;
                    var latest = samples.LastOrDefault(s => s.Sample.Time <= at);
                    WriteTask(json, ++id, frame.Image, frame.Width, frame.Height, latest.Name is null ? [] : latest.Sample.Value.AsDetections, classes);
                }
            }

            json.WriteEndArray();
        }

        stream.Close();
        File.Move(outputFile + ".tmp", outputFile, overwrite: true);
        return frames.Count;
    }

    private static void WriteTask(Utf8JsonWriter json, int id, string image, int width, int height, IReadOnlyList<Detection> boxes, ClassNames classes)
    {
        json.WriteStartObject();
        json.WriteNumber("id", id);
        json.WriteStartObject("data");
        json.WriteString("image", image);
        json.WriteEndObject();
        json.WriteStartArray("annotations");
        json.WriteStartObject();
        json.WriteNumber("id", id);
        json.WriteBoolean("was_cancelled", false);
        json.WriteStartArray("result");
        var n = 0;
        foreach (var box in boxes)
        {
            var x0 = Math.Clamp(box.X, 0, 1);
            var y0 = Math.Clamp(box.Y, 0, 1);
            var x1 = Math.Clamp(box.X + box.Width, 0, 1);
            var y1 = Math.Clamp(box.Y + box.Height, 0, 1);
            if (x1 <= x0 || y1 <= y0)
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteString("id", string.Create(CultureInfo.InvariantCulture, $"r{id}-{n++}"));
            json.WriteString("type", "rectanglelabels");
            json.WriteString("from_name", LabelStudioWriter.FromName);
            json.WriteString("to_name", LabelStudioWriter.ToName);
            json.WriteNumber("original_width", width);
            json.WriteNumber("original_height", height);
            json.WriteStartObject("value");
            json.WriteNumber("x", PrelabelJson.Round(100 * x0));
            json.WriteNumber("y", PrelabelJson.Round(100 * y0));
            json.WriteNumber("width", PrelabelJson.Round(100 * (x1 - x0)));
            json.WriteNumber("height", PrelabelJson.Round(100 * (y1 - y0)));
            json.WriteNumber("rotation", 0);
            json.WriteStartArray("rectanglelabels");
            json.WriteStringValue(classes.Name(box.ClassId));
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }
}

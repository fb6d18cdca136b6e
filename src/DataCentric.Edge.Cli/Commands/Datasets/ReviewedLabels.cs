using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataCentric.Edge.Cli.Commands.Prelabels;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// People's labels read back from a review tool's export, matched to the dataset's frames by image
/// file name: Label Studio's JSON export (an array of tasks; each task's latest annotation that was
/// not cancelled; <c>rectanglelabels</c> results in percent of the image) or COCO (images, categories,
/// annotations with <c>bbox</c> [x, y, w, h] in pixels). What cannot be used is reported with the file
/// and the frame and left out: frames that are not in the dataset, classes the dataset does not have,
/// boxes reaching outside the image (clipped to it) or lying wholly outside it (dropped).
/// </summary>
internal static partial class ReviewedLabels
{
    /// <summary>A box may overhang the image by this much (pixels) before it is reported: rounding in the tools' percentages.</summary>
    private const double Tolerance = 0.5;

    public static (Dictionary<string, List<ReviewBox>> Frames, List<DatasetProblem> Problems, string Format) Read(string file, DatasetFrames dataset)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(file), new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new PrelabelInputException($"{file}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: the reviewed labels are not JSON ({e.Message}); nothing was imported.", e);
        }

        using (document)
        {
            var frames = new Dictionary<string, List<ReviewBox>>(StringComparer.Ordinal);
            var problems = new List<DatasetProblem>();
            try
            {
                switch (document.RootElement.ValueKind)
                {
                    case JsonValueKind.Array:
                        ReadLabelStudio(file, document.RootElement, dataset, frames, problems);
                        return (frames, problems, "labelstudio");
                    case JsonValueKind.Object when document.RootElement.TryGetProperty("images", out _):
                        ReadCoco(file, document.RootElement, dataset, frames, problems);
                        return (frames, problems, "coco");
                    default:
                        throw new PrelabelInputException($"{file}: neither a Label Studio JSON export (an array of tasks) nor COCO (an object with images, annotations, categories); nothing was imported.");
                }
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new PrelabelInputException($"{file}: a required field is missing or has the wrong type ({e.Message}); nothing was imported.", e);
            }
        }
    }

    private static void ReadLabelStudio(string file, JsonElement tasks, DatasetFrames dataset, Dictionary<string, List<ReviewBox>> frames, List<DatasetProblem> problems)
    {
        var index = 0;
        foreach (var task in tasks.EnumerateArray())
        {
            var where = task.TryGetProperty("id", out var id) ? $"task {id.GetRawText()}" : $"task #{index}";
            index++;
            var url = task.GetProperty("data").GetProperty("image").GetString() ?? string.Empty;
            var annotation = task.TryGetProperty("annotations", out var annotations)
                ? annotations.EnumerateArray().LastOrDefault(a => !(a.TryGetProperty("was_cancelled", out var c) && c.ValueKind == JsonValueKind.True))
                : default;
            if (annotation.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (Match(url, dataset) is not { } frame)
            {
                problems.Add(new DatasetProblem(file, $"{where} ({url})", "this frame is not in the dataset; its labels were left out"));
                continue;
            }

            var boxes = frames[frame.Image] = [];
            foreach (var result in annotation.GetProperty("result").EnumerateArray())
            {
                if (result.GetProperty("type").GetString() != "rectanglelabels")
                {
                    continue;
                }

                var value = result.GetProperty("value");
                var label = value.GetProperty("rectanglelabels").EnumerateArray().FirstOrDefault().GetString() ?? string.Empty;
                var box = new ReviewBox(
                    label,
                    value.GetProperty("x").GetDouble() * frame.Width / 100,
                    value.GetProperty("y").GetDouble() * frame.Height / 100,
                    value.GetProperty("width").GetDouble() * frame.Width / 100,
                    value.GetProperty("height").GetDouble() * frame.Height / 100);
                Add(file, $"{where} ({frame.Image})", box, frame, dataset, boxes, problems);
            }
        }
    }

    private static void ReadCoco(string file, JsonElement coco, DatasetFrames dataset, Dictionary<string, List<ReviewBox>> frames, List<DatasetProblem> problems)
    {
        var categories = coco.GetProperty("categories").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetInt64(), c => c.GetProperty("name").GetString() ?? string.Empty);
        var images = new Dictionary<long, DatasetFrame?>();
        foreach (var image in coco.GetProperty("images").EnumerateArray())
        {
            var name = image.GetProperty("file_name").GetString() ?? string.Empty;
            var imageId = image.GetProperty("id").GetInt64();
            var frame = Match(name, dataset);
            images[imageId] = frame;
            if (frame is null)
            {
                problems.Add(new DatasetProblem(file, string.Create(CultureInfo.InvariantCulture, $"image {imageId} ({name})"), "this frame is not in the dataset; its labels were left out"));
            }
            else
            {
                frames[frame.Image] = [];
            }
        }

        foreach (var annotation in coco.GetProperty("annotations").EnumerateArray())
        {
            var imageId = annotation.GetProperty("image_id").GetInt64();
            var where = string.Create(CultureInfo.InvariantCulture, $"annotation {annotation.GetProperty("id").GetRawText()} (image {imageId})");
            if (!images.TryGetValue(imageId, out var frame))
            {
                problems.Add(new DatasetProblem(file, where, "its image_id is not among the file's images; left out"));
                continue;
            }

            if (frame is null)
            {
                continue;
            }

            var categoryId = annotation.GetProperty("category_id").GetInt64();
            if (!categories.TryGetValue(categoryId, out var label))
            {
                problems.Add(new DatasetProblem(file, $"{where} ({frame.Image})", string.Create(CultureInfo.InvariantCulture, $"category_id {categoryId} is not among the file's categories; left out")));
                continue;
            }

            var bbox = annotation.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            if (bbox.Length != 4)
            {
                problems.Add(new DatasetProblem(file, $"{where} ({frame.Image})", "bbox is not [x, y, w, h]; left out"));
                continue;
            }

            Add(file, $"{where} ({frame.Image})", new ReviewBox(label, bbox[0], bbox[1], bbox[2], bbox[3]), frame, dataset, frames[frame.Image], problems);
        }
    }

    private static void Add(string file, string where, ReviewBox box, DatasetFrame frame, DatasetFrames dataset, List<ReviewBox> boxes, List<DatasetProblem> problems)
    {
        if (!dataset.Classes.Contains(box.Class))
        {
            problems.Add(new DatasetProblem(file, where, $"class '{box.Class}' is not one of the dataset's classes ({string.Join(", ", dataset.Classes)}); the box was left out"));
            return;
        }

        var x0 = Math.Clamp(box.X, 0, frame.Width);
        var y0 = Math.Clamp(box.Y, 0, frame.Height);
        var x1 = Math.Clamp(box.X + box.Width, 0, frame.Width);
        var y1 = Math.Clamp(box.Y + box.Height, 0, frame.Height);
        var text = string.Create(CultureInfo.InvariantCulture, $"[{box.X:0.#}, {box.Y:0.#}, {box.Width:0.#}, {box.Height:0.#}] px in a {frame.Width}×{frame.Height} image");
        if (x1 - x0 <= 0 || y1 - y0 <= 0 || !double.IsFinite(x0 + y0 + x1 + y1))
        {
            problems.Add(new DatasetProblem(file, where, $"box {text} lies outside the image; left out"));
            return;
        }

        if (box.X < -Tolerance || box.Y < -Tolerance || box.X + box.Width > frame.Width + Tolerance || box.Y + box.Height > frame.Height + Tolerance)
        {
            problems.Add(new DatasetProblem(file, where, $"box {text} reaches outside the image; clipped to it"));
        }

        boxes.Add(box with { X = x0, Y = y0, Width = x1 - x0, Height = y1 - y0 });
    }

    /// <summary>The dataset frame an image reference names: a relative path, a URL (escaped), or Label Studio's upload name with its 8-hex prefix.</summary>
    private static DatasetFrame? Match(string reference, DatasetFrames dataset)
    {
        var path = reference.Split('?', 2)[0];
        var name = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        if (dataset.ByImage.TryGetValue(name, out var frame))
        {
            return frame;
        }

        return UploadPrefix().Match(name) is { Success: true } m && dataset.ByImage.TryGetValue(name[m.Length..], out frame) ? frame : null;
    }

    [GeneratedRegex("^[0-9a-f]{8}-")]
    private static partial Regex UploadPrefix();
}

using System.Globalization;
using System.Text.Json;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// <c>annotations.json</c> in COCO detection format: images (file name, width, height), categories,
/// annotations with bbox [x, y, w, h] in pixels from the top-left, area, iscrowd 0 and the model's
/// <c>score</c> (not a standard COCO field; tools that do not know it ignore it).
/// Category ids are class id + 1: COCO's own ids start at 1 and some importers read 0 as background.
/// </summary>
internal sealed class CocoWriter(string directory, ClassNames classes) : IPrelabelWriter
{
    public const string FileName = "annotations.json";

    private readonly List<LabelledFrame> _frames = [];

    public static int CategoryId(int classId) => classId + 1;

    public void Add(LabelledFrame frame)
    {
        foreach (var box in frame.Boxes ?? [])
        {
            classes.Note(box.ClassId);
        }

        // Without the image bytes (they are in images/ already): what is held grows by a few hundred bytes a frame.
        _frames.Add(frame with { Frame = frame.Frame with { Data = ReadOnlyMemory<byte>.Empty } });
    }

    public void Finish() => PrelabelJson.WriteFile(Path.Combine(directory, FileName), json =>
    {
        json.WriteStartObject();
        json.WriteStartObject("info");
        json.WriteString("description", "Draft labels from the shadow model's detections (edgectl clips export)");
        json.WriteString("date_created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        json.WriteEndObject();

        json.WriteStartArray("images");
        for (var i = 0; i < _frames.Count; i++)
        {
            var frame = _frames[i];
            json.WriteStartObject();
            json.WriteNumber("id", i + 1);
            json.WriteString("file_name", frame.ImageName);
            json.WriteNumber("width", frame.Frame.Width);
            json.WriteNumber("height", frame.Frame.Height);
            json.WriteString("date_captured", frame.Frame.WallClock.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("categories");
        foreach (var classId in classes.Seen)
        {
            json.WriteStartObject();
            json.WriteNumber("id", CategoryId(classId));
            json.WriteString("name", classes.Name(classId));
            json.WriteString("supercategory", "object");
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("annotations");
        var annotationId = 0;
        for (var i = 0; i < _frames.Count; i++)
        {
            foreach (var box in _frames[i].Boxes ?? [])
            {
                WriteAnnotation(json, ++annotationId, i + 1, box);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static void WriteAnnotation(Utf8JsonWriter json, int id, int imageId, PixelBox box)
    {
        json.WriteStartObject();
        json.WriteNumber("id", id);
        json.WriteNumber("image_id", imageId);
        json.WriteNumber("category_id", CategoryId(box.ClassId));
        json.WriteStartArray("bbox");
        json.WriteNumberValue(PrelabelJson.Round(box.X));
        json.WriteNumberValue(PrelabelJson.Round(box.Y));
        json.WriteNumberValue(PrelabelJson.Round(box.Width));
        json.WriteNumberValue(PrelabelJson.Round(box.Height));
        json.WriteEndArray();
        json.WriteNumber("area", PrelabelJson.Round(box.Width * box.Height));
        json.WriteNumber("iscrowd", 0);
        json.WriteNumber("score", Math.Round(box.Score, 4));
        json.WriteEndObject();
    }
}

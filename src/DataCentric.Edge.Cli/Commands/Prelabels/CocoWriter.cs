using System.Globalization;
using System.Text.Json;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// <c>annotations.json</c> in COCO detection format: images (file name, width, height), categories,
/// annotations with bbox [x, y, w, h] in pixels from the top-left, area, iscrowd 0 and the model's
/// <c>score</c> (not a standard COCO field; tools that do not know it ignore it).
/// Category ids are class id + 1: COCO's own ids start at 1 and some importers read 0 as background.
/// Images are written as frames arrive and annotations go to a side file appended at the end, so
/// memory stays flat however many frames are exported.
/// </summary>
internal sealed class CocoWriter : IPrelabelWriter, IDisposable
{
    public const string FileName = "annotations.json";
    private const string AnnotationsPart = ".annotations.part";

    private readonly ClassNames _classes;
    private readonly FileStream _file;
    private readonly JsonItems _images;
    private readonly string _annotationsPath;
    private readonly FileStream _annotationsFile;
    private readonly JsonItems _annotations;
    private int _imageId;
    private int _annotationId;

    public CocoWriter(string directory, ClassNames classes)
    {
        _classes = classes;
        _file = new FileStream(Path.Combine(directory, FileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _annotationsPath = Path.Combine(directory, AnnotationsPart);
        _annotationsFile = new FileStream(_annotationsPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _images = new JsonItems(_file);
        _annotations = new JsonItems(_annotationsFile);
        using (var json = new Utf8JsonWriter(_file, PrelabelJson.Line))
        {
            json.WriteStartObject();
            json.WriteString("description", "Draft labels from the shadow model's detections (edgectl clips export)");
            json.WriteString("date_created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            _file.Write("{\"info\":"u8);
            json.Flush();
        }

        _file.Write(",\n\"images\": ["u8);
    }

    public static int CategoryId(int classId) => classId + 1;

    public void Add(LabelledFrame frame)
    {
        var imageId = ++_imageId;
        _images.Write(json =>
        {
            json.WriteStartObject();
            json.WriteNumber("id", imageId);
            json.WriteString("file_name", frame.ImageName);
            json.WriteNumber("width", frame.Frame.Width);
            json.WriteNumber("height", frame.Frame.Height);
            json.WriteString("date_captured", frame.Frame.WallClock.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        });
        foreach (var box in frame.Boxes ?? [])
        {
            _classes.Note(box.ClassId);
            var id = ++_annotationId;
            _annotations.Write(json => WriteAnnotation(json, id, imageId, box));
        }
    }

    public void Finish()
    {
        _file.Write("\n],\n\"categories\": ["u8);
        using (var categories = new JsonItems(_file))
        {
            foreach (var classId in _classes.Seen)
            {
                categories.Write(json =>
                {
                    json.WriteStartObject();
                    json.WriteNumber("id", CategoryId(classId));
                    json.WriteString("name", _classes.Name(classId));
                    json.WriteString("supercategory", "object");
                    json.WriteEndObject();
                });
            }
        }

        _file.Write("\n],\n\"annotations\": ["u8);
        _annotationsFile.Flush();
        _annotationsFile.Position = 0;
        _annotationsFile.CopyTo(_file);
        _file.Write("\n]\n}\n"u8);
        _file.Flush();
        Dispose();
        File.Delete(_annotationsPath);
    }

    public void Dispose()
    {
        _images.Dispose();
        _annotations.Dispose();
        _annotationsFile.Dispose();
        _file.Dispose();
    }

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

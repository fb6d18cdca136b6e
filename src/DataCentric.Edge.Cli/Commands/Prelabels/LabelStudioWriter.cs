using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// <c>tasks.json</c> for Label Studio's import: one task per frame with <c>data.image</c> and one
/// prediction holding all of the frame's boxes (percent of the image, per-result score,
/// <c>model_version</c> = the model hash, else its name), plus <c>labeling-config.xml</c> whose
/// control and object names match the results' <c>from_name</c>/<c>to_name</c>. Tasks are written as
/// frames arrive, so memory stays flat however many frames are exported.
/// </summary>
internal sealed class LabelStudioWriter : IPrelabelWriter, IDisposable
{
    public const string TasksFile = "tasks.json";
    public const string ConfigFile = "labeling-config.xml";
    public const string FromName = "label";
    public const string ToName = "image";

    private readonly string _directory;
    private readonly ClassNames _classes;
    private readonly string? _imageUrlBase;
    private readonly FileStream _file;
    private readonly JsonItems _tasks;

    public LabelStudioWriter(string directory, ClassNames classes, string? imageUrlBase)
    {
        _directory = directory;
        _classes = classes;
        _imageUrlBase = imageUrlBase;
        _file = new FileStream(Path.Combine(directory, TasksFile), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _tasks = new JsonItems(_file);
        _file.Write("["u8);
    }

    public void Add(LabelledFrame frame)
    {
        foreach (var box in frame.Boxes ?? [])
        {
            _classes.Note(box.ClassId);
        }

        _tasks.Write(json => WriteTask(json, frame));
    }

    public void Finish()
    {
        _file.Write("\n]\n"u8);
        Dispose();
        File.WriteAllText(Path.Combine(_directory, ConfigFile), LabelingConfig(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    public void Dispose()
    {
        _tasks.Dispose();
        _file.Dispose();
    }

    private string ImageUrl(string imageName) =>
        _imageUrlBase is null ? "images/" + imageName : _imageUrlBase.TrimEnd('/') + "/" + Uri.EscapeDataString(imageName);

    private void WriteTask(Utf8JsonWriter json, LabelledFrame frame)
    {
        json.WriteStartObject();
        json.WriteStartObject("data");
        json.WriteString("image", ImageUrl(frame.ImageName));
        json.WriteString("clip", frame.ClipId);
        json.WriteString("device", frame.Device);
        json.WriteString("time", frame.Frame.WallClock.ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("triggers", string.Join(", ", frame.TriggerIds));
        json.WriteString("primary", string.Join(", ", frame.PrimaryValues.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.ToString("0.###", CultureInfo.InvariantCulture)}")));
        json.WriteEndObject();

        json.WriteStartArray("predictions");
        if (frame.Boxes is { } boxes && frame.HasShadowOutput)
        {
            json.WriteStartObject();
            json.WriteString("model_version", frame.ModelSha256.Length > 0 ? frame.ModelSha256 : frame.ModelName);
            json.WriteNumber("score", boxes.Count == 0 ? 0 : Math.Round(boxes.Max(b => b.Score), 4));
            json.WriteStartArray("result");
            for (var i = 0; i < boxes.Count; i++)
            {
                WriteResult(json, frame, boxes[i], i);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private void WriteResult(Utf8JsonWriter json, LabelledFrame frame, PixelBox box, int index)
    {
        double width = frame.Frame.Width, height = frame.Frame.Height;
        json.WriteStartObject();
        json.WriteString("id", string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(frame.ImageName)}-{index}"));
        json.WriteString("type", "rectanglelabels");
        json.WriteString("from_name", FromName);
        json.WriteString("to_name", ToName);
        json.WriteNumber("original_width", frame.Frame.Width);
        json.WriteNumber("original_height", frame.Frame.Height);
        json.WriteNumber("image_rotation", 0);
        json.WriteStartObject("value");
        json.WriteNumber("x", PrelabelJson.Round(100 * box.X / width));
        json.WriteNumber("y", PrelabelJson.Round(100 * box.Y / height));
        json.WriteNumber("width", PrelabelJson.Round(100 * box.Width / width));
        json.WriteNumber("height", PrelabelJson.Round(100 * box.Height / height));
        json.WriteNumber("rotation", 0);
        json.WriteStartArray("rectanglelabels");
        json.WriteStringValue(_classes.Name(box.ClassId));
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteNumber("score", Math.Round(box.Score, 4));
        json.WriteEndObject();
    }

    private string LabelingConfig()
    {
        var text = new StringBuilder();
        text.AppendLine("<View>");
        text.AppendLine(CultureInfo.InvariantCulture, $"  <Image name=\"{ToName}\" value=\"$image\"/>");
        text.AppendLine(CultureInfo.InvariantCulture, $"  <RectangleLabels name=\"{FromName}\" toName=\"{ToName}\">");
        foreach (var classId in _classes.DenseIds())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    <Label value=\"{SecurityElement.Escape(_classes.Name(classId))}\"/>");
        }

        text.AppendLine("  </RectangleLabels>");
        text.AppendLine("</View>");
        return text.ToString();
    }
}

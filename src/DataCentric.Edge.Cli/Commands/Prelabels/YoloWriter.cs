using System.Globalization;
using System.Text;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// YOLO txt: <c>labels/&lt;image&gt;.txt</c> per image with <c>class cx cy w h</c> normalised to
/// 0..1 (an empty file for a frame without boxes: YOLO reads it as background), and
/// <c>data.yaml</c> with the class names, pointing at <c>images/</c>.
/// </summary>
internal sealed class YoloWriter(string directory, ClassNames classes) : IPrelabelWriter
{
    public const string LabelsFolder = "labels";
    public const string DataFile = "data.yaml";

    private readonly string _labels = Directory.CreateDirectory(Path.Combine(directory, LabelsFolder)).FullName;

    public void Add(LabelledFrame frame)
    {
        if (frame.Boxes is null)
        {
            return;
        }

        double width = frame.Frame.Width, height = frame.Frame.Height;
        var text = new StringBuilder();
        foreach (var box in frame.Boxes)
        {
            classes.Note(box.ClassId);
            text.Append(CultureInfo.InvariantCulture, $"{box.ClassId} {F((box.X + (box.Width / 2)) / width)} {F((box.Y + (box.Height / 2)) / height)} {F(box.Width / width)} {F(box.Height / height)}\n");
        }

        File.WriteAllText(Path.Combine(_labels, Path.GetFileNameWithoutExtension(frame.ImageName) + ".txt"), text.ToString(), Encoding.ASCII);
    }

    public void Finish()
    {
        var yaml = new StringBuilder();
        yaml.Append("# Draft labels from the shadow model (edgectl clips export --format yolo)\n");
        yaml.Append("path: .\ntrain: images\nval: images\nnames:\n");
        foreach (var classId in classes.DenseIds())
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  {classId}: '{classes.Name(classId).Replace("'", "''", StringComparison.Ordinal)}'\n");
        }

        File.WriteAllText(Path.Combine(directory, DataFile), yaml.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    public void Dispose()
    {
        // One file per frame, each closed when written: nothing stays open.
    }

    /// <summary>Clamped to [0, 1]: the box is inside the image already, this only removes rounding overshoot.</summary>
    private static string F(double value) => Math.Clamp(value, 0, 1).ToString("0.######", CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// Class names for the model's class ids: line N of a labels file (the model's own labels), else
/// <c>class-N</c>. Also collects the ids seen, for the formats' category lists.
/// </summary>
internal sealed class ClassNames(IReadOnlyList<string> fromFile)
{
    private readonly SortedSet<int> _seen = [];

    public IReadOnlyList<int> Seen => [.. _seen];

    public static ClassNames Load(FileInfo? labels)
    {
        if (labels is null)
        {
            return new ClassNames([]);
        }

        var lines = File.ReadAllLines(labels.FullName).Select(l => l.Trim()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return new ClassNames(lines);
    }

    /// <summary>Records a class id the export has a box of.</summary>
    public void Note(int classId) => _seen.Add(classId);

    public string Name(int classId)
    {
        return classId >= 0 && classId < fromFile.Count && fromFile[classId].Length > 0
            ? fromFile[classId]
            : string.Create(CultureInfo.InvariantCulture, $"class-{classId}");
    }

    /// <summary>Every id from 0 to the highest seen (YOLO's names list has no gaps).</summary>
    public IEnumerable<int> DenseIds() => Enumerable.Range(0, Math.Max(_seen.Count == 0 ? 0 : _seen.Max + 1, fromFile.Count));
}

using System.Text;
using System.Text.Json;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// Where each key of a JSON configuration file is, by its configuration path (<c>Sources:Gpio:Inputs:0:Pin</c>,
/// case-insensitive as configuration keys are), in document order. Read with the settings the JSON
/// configuration provider uses (comments and trailing commas allowed), so a file it accepts parses here.
/// </summary>
internal sealed class JsonKeyPositions
{
    private readonly Dictionary<string, (int Line, int Column)> _byPath = new(StringComparer.OrdinalIgnoreCase);

    private JsonKeyPositions()
    {
    }

    /// <summary>Every key and array element, in document order.</summary>
    public List<(string Path, int Line, int Column)> Keys { get; } = [];

    /// <exception cref="JsonFileException">The file is not JSON; its line and column say where.</exception>
    public static JsonKeyPositions Read(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        var positions = new JsonKeyPositions();
        var lines = LineStarts(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new List<string>();
        var containers = new Stack<Container>();
        var named = false;
        try
        {
            while (reader.Read())
            {
                var at = Position(utf8, lines, reader.TokenStartIndex);
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    path.Add(reader.GetString()!);
                    positions.Add(path, at);
                    named = true;
                    continue;
                }

                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    if (containers.Pop().HasSegment)
                    {
                        path.RemoveAt(path.Count - 1);
                    }

                    continue;
                }

                // A value starts: it is a property's (its name is on the path) or an array's next element.
                var hasSegment = named;
                named = false;
                if (!hasSegment && containers.TryPeek(out var parent) && parent.IsArray)
                {
                    path.Add(parent.NextIndex++.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    positions.Add(path, at);
                    hasSegment = true;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    containers.Push(new Container(reader.TokenType == JsonTokenType.StartArray, hasSegment));
                }
                else if (hasSegment)
                {
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0);
            var byteInLine = (int)(e.BytePositionInLine ?? 0);
            var lineStart = line < lines.Count ? lines[line] : utf8.Length;
            var column = Encoding.UTF8.GetCharCount(utf8, lineStart, Math.Min(byteInLine, utf8.Length - lineStart)) + 1;

            // The reader's message ends with its own 0-based "LineNumber: n | BytePositionInLine: m.": say it once, 1-based.
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw new JsonFileException(line + 1, column, cut > 0 ? message[..cut] : message, e);
        }

        return positions;
    }

    /// <summary>The position of <paramref name="path"/>, or of the nearest enclosing key the file has; null when none.</summary>
    public (int Line, int Column)? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        for (var key = path; key.Length > 0; key = key.LastIndexOf(':') is var colon and > 0 ? key[..colon] : string.Empty)
        {
            if (_byPath.TryGetValue(key, out var position))
            {
                return position;
            }
        }

        return null;
    }

    private void Add(List<string> path, (int Line, int Column) position)
    {
        var key = string.Join(':', path);
        Keys.Add((key, position.Line, position.Column));
        _byPath.TryAdd(key, position);
    }

    private static List<int> LineStarts(byte[] utf8)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static (int Line, int Column) Position(byte[] utf8, List<int> lines, long offset)
    {
        var index = lines.BinarySearch((int)offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, Encoding.UTF8.GetCharCount(utf8, lines[line], (int)offset - lines[line]) + 1);
    }
}

/// <summary>An object or array being read: whether it is an array, its next index, and whether it put a segment on the path.</summary>
file sealed class Container(bool isArray, bool hasSegment)
{
    public bool IsArray { get; } = isArray;

    public bool HasSegment { get; } = hasSegment;

    public int NextIndex { get; set; }
}

/// <summary>A JSON file that does not parse, with the 1-based line and column of the problem.</summary>
internal sealed class JsonFileException(int line, int column, string message, Exception innerException) : Exception(message, innerException)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}

using System.Text;
using System.Text.Json;

namespace DataCentric.Edge.Core.Triggers.Documents;

/// <summary>Reads JSON (System.Text.Json's reader) into a <see cref="SourceNode"/> tree with positions.</summary>
internal sealed class JsonSourceReader
{
    private readonly byte[] _utf8;
    private readonly List<int> _lineStarts = [0];
    private int _cursorLine = -1;
    private long _cursorOffset;
    private int _cursorColumn;

    private JsonSourceReader(byte[] utf8)
    {
        _utf8 = utf8;
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <exception cref="SourceFormatException">Not well-formed JSON.</exception>
    public static SourceNode? Read(string text)
    {
        var source = new JsonSourceReader(Encoding.UTF8.GetBytes(text));
        var reader = new Utf8JsonReader(source._utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = 64,
        });
        try
        {
            if (!reader.Read())
            {
                return null;
            }

            var root = source.ReadValue(ref reader);
            if (reader.Read())
            {
                var (line, column) = source.Position(reader.TokenStartIndex);
                throw new SourceFormatException("unexpected content after the JSON value", line, column);
            }

            return root;
        }
        catch (InvalidOperationException error)
        {
            // GetString on an escape that is not valid UTF-16 (a lone surrogate such as "\udfff")
            // throws this, not JsonException.
            var (line, column) = source.Position(reader.TokenStartIndex);
            throw new SourceFormatException(error.Message, line, column);
        }
        catch (JsonException error)
        {
            throw new SourceFormatException(
                error.Message.Split(" LineNumber:", 2)[0],
                (int)(error.LineNumber ?? 0) + 1,
                (int)(error.BytePositionInLine ?? 0) + 1);
        }
    }

    private (int Line, int Column) Position(long offset)
    {
        var index = _lineStarts.BinarySearch((int)offset);
        var line = index >= 0 ? index : ~index - 1;
        var column = 1;
        var from = (long)_lineStarts[line];
        if (_cursorLine == line && _cursorOffset >= from && _cursorOffset <= offset)
        {
            // Tokens come in order: go on from the last position, or a long line costs O(n²).
            from = _cursorOffset;
            column = _cursorColumn;
        }

        for (var i = from; i < offset; i++)
        {
            // Count characters, not bytes: skip UTF-8 continuation bytes.
            if ((_utf8[i] & 0xC0) != 0x80)
            {
                column++;
            }
        }

        (_cursorLine, _cursorOffset, _cursorColumn) = (line, offset, column);
        return (line + 1, column);
    }

    private SourceNode ReadValue(ref Utf8JsonReader reader)
    {
        var (line, column) = Position(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<SourceScalar, SourceNode>>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var (keyLine, keyColumn) = Position(reader.TokenStartIndex);
                    var key = new SourceScalar(reader.GetString() ?? string.Empty, ScalarKind.Text, keyLine, keyColumn, keyLine, keyColumn + 1, 1);
                    reader.Read();
                    entries.Add(new(key, ReadValue(ref reader)));
                }

                return new SourceMapping(entries, line, column);
            case JsonTokenType.StartArray:
                var items = new List<SourceNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader));
                }

                return new SourceSequence(items, line, column);
            case JsonTokenType.String:
                return new SourceScalar(reader.GetString() ?? string.Empty, ScalarKind.Text, line, column, line, column + 1, 1);
            case JsonTokenType.Number:
                return new SourceScalar(Encoding.UTF8.GetString(reader.ValueSpan), ScalarKind.Number, line, column, line, column, 1);
            case JsonTokenType.True or JsonTokenType.False:
                return new SourceScalar(reader.TokenType == JsonTokenType.True ? "true" : "false", ScalarKind.Bool, line, column, line, column, 1);
            default:
                return new SourceScalar(string.Empty, ScalarKind.Null, line, column, line, column, 1);
        }
    }
}

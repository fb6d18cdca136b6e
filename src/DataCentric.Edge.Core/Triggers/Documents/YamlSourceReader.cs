using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DataCentric.Edge.Core.Triggers.Documents;

/// <summary>Reads YAML (YamlDotNet's representation model) into a <see cref="SourceNode"/> tree with positions.</summary>
internal static class YamlSourceReader
{
    /// <summary>Aliases can make a small document a huge tree ("billion laughs"); stop long before that.</summary>
    private const int MaxNodes = 100_000;

    /// <exception cref="SourceFormatException">Not YAML, or not one document.</exception>
    public static SourceNode? Read(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            throw new SourceFormatException(Clean(error.Message), (int)error.Start.Line, (int)error.Start.Column);
        }

        if (stream.Documents.Count == 0)
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            throw new SourceFormatException("a trigger set is one YAML document", (int)second.Line, (int)second.Column);
        }

        var lines = text.Split('\n');
        var budget = MaxNodes;
        return Convert(stream.Documents[0].RootNode, lines, ref budget);
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; we report the position ourselves.
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return marker >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(marker + 3)..] : message;
    }

    private static SourceNode Convert(YamlNode node, string[] lines, ref int budget)
    {
        if (--budget < 0)
        {
            throw new SourceFormatException($"document has more than {MaxNodes} nodes", (int)node.Start.Line, (int)node.Start.Column);
        }

        var line = (int)node.Start.Line;
        var column = (int)node.Start.Column;
        switch (node)
        {
            case YamlScalarNode scalar:
                return ConvertScalar(scalar, lines, line, column);
            case YamlSequenceNode sequence:
                var items = new List<SourceNode>(sequence.Children.Count);
                foreach (var child in sequence.Children)
                {
                    items.Add(Convert(child, lines, ref budget));
                }

                return new SourceSequence(items, line, column);
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<SourceScalar, SourceNode>>(mapping.Children.Count);
                foreach (var (key, value) in mapping.Children)
                {
                    if (Convert(key, lines, ref budget) is not SourceScalar keyScalar)
                    {
                        throw new SourceFormatException("mapping keys must be plain names", (int)key.Start.Line, (int)key.Start.Column);
                    }

                    entries.Add(new(keyScalar, Convert(value, lines, ref budget)));
                }

                return new SourceMapping(entries, line, column);
            default:
                throw new SourceFormatException("unsupported YAML node", line, column);
        }
    }

    private static SourceScalar ConvertScalar(YamlScalarNode scalar, string[] lines, int line, int column)
    {
        var value = scalar.Value ?? string.Empty;
        switch (scalar.Style)
        {
            case ScalarStyle.Literal or ScalarStyle.Folded:
                // `when: |` — the text starts on the next non-blank line, at its indentation.
                var contentLine = line + 1;
                while (contentLine <= lines.Length && string.IsNullOrWhiteSpace(lines[contentLine - 1]))
                {
                    contentLine++;
                }

                var indent = contentLine <= lines.Length ? lines[contentLine - 1].Length - lines[contentLine - 1].TrimStart(' ').Length : 0;
                return new SourceScalar(value, ScalarKind.Text, line, column, contentLine, indent + 1, indent + 1);
            case ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted:
                return new SourceScalar(value, ScalarKind.Text, line, column, line, column + 1, 1);
            default:
                var kind = value is "" or "~" or "null" or "Null" or "NULL" ? ScalarKind.Null : ScalarKind.Plain;
                return new SourceScalar(value, kind, line, column, line, column, 1);
        }
    }
}

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DataCentric.Edge.Core.Triggers.Documents;

/// <summary>Reads YAML (YamlDotNet's representation model) into a <see cref="SourceNode"/> tree with positions.</summary>
internal static class YamlSourceReader
{
    /// <summary>Aliases can make a small document a huge tree ("billion laughs"); stop long before that.</summary>
    private const int MaxNodes = 100_000;

    /// <summary>As the JSON reader's <c>MaxDepth</c>: the conversion recurses, and a deep enough document would overflow the stack.</summary>
    private const int MaxDepth = 64;

    /// <exception cref="SourceFormatException">Not YAML, or not one document.</exception>
    public static SourceNode? Read(string text)
    {
        var stream = new YamlStream();
        try
        {
            // YamlStream.Load builds the tree recursively: a deep enough document overflows the stack
            // (uncatchable, the process dies). The parser's event stream is flat: check the depth first.
            CheckDepth(text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            throw new SourceFormatException(Clean(error.Message), (int)error.Start.Line, (int)error.Start.Column);
        }
        catch (Exception error) when (error is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these, not YamlException, on some malformed documents: its scanner on
            // a stray character before a flow mapping (InvalidOperationException), its tree builder on
            // an empty key before a cut-off block scalar (ArgumentException "unsupported type"). Still not YAML.
            var (line, column) = LastGood(text);
            throw new SourceFormatException($"not valid YAML after this point ({error.Message})", line, column);
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
        return Convert(stream.Documents[0].RootNode, lines, ref budget, 1);
    }

    /// <exception cref="SourceFormatException">Sequences and mappings nested deeper than <see cref="MaxDepth"/>.</exception>
    private static void CheckDepth(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.SequenceStart or YamlDotNet.Core.Events.MappingStart:
                    if (++depth > MaxDepth)
                    {
                        throw new SourceFormatException($"document is nested deeper than {MaxDepth}", (int)parser.Current.Start.Line, (int)parser.Current.Start.Column);
                    }

                    break;
                case YamlDotNet.Core.Events.SequenceEnd or YamlDotNet.Core.Events.MappingEnd:
                    depth--;
                    break;
            }
        }
    }

    /// <summary>Where the last event the parser could read ends (1, 1 when none): the place to point at when it fails without one.</summary>
    private static (int Line, int Column) LastGood(string text)
    {
        var parser = new Parser(new StringReader(text));
        var (line, column) = (1, 1);
        try
        {
            while (parser.MoveNext())
            {
                (line, column) = ((int)parser.Current!.End.Line, (int)parser.Current.End.Column);
            }
        }
        catch (Exception error) when (error is YamlException or InvalidOperationException or ArgumentException)
        {
            // Stop here: the position so far is the answer.
        }

        return (Math.Max(line, 1), Math.Max(column, 1));
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; we report the position ourselves.
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return marker >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(marker + 3)..] : message;
    }

    private static SourceNode Convert(YamlNode node, string[] lines, ref int budget, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new SourceFormatException($"document is nested deeper than {MaxDepth}", (int)node.Start.Line, (int)node.Start.Column);
        }

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
                    items.Add(Convert(child, lines, ref budget, depth + 1));
                }

                return new SourceSequence(items, line, column);
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<SourceScalar, SourceNode>>(mapping.Children.Count);
                foreach (var (key, value) in mapping.Children)
                {
                    if (Convert(key, lines, ref budget, depth + 1) is not SourceScalar keyScalar)
                    {
                        throw new SourceFormatException("mapping keys must be plain names", (int)key.Start.Line, (int)key.Start.Column);
                    }

                    entries.Add(new(keyScalar, Convert(value, lines, ref budget, depth + 1)));
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

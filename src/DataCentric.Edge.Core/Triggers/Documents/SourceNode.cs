namespace DataCentric.Edge.Core.Triggers.Documents;

/// <summary>
/// A YAML or JSON document as a small tree that remembers where each node is, so one mapper can
/// read both formats and report every error with its line and column.
/// </summary>
internal abstract record SourceNode(int Line, int Column);

internal enum ScalarKind
{
    /// <summary>YAML plain scalar: may be read as text, number or bool.</summary>
    Plain,

    /// <summary>Quoted YAML or a JSON string.</summary>
    Text,

    /// <summary>JSON number.</summary>
    Number,

    /// <summary>JSON true/false.</summary>
    Bool,

    /// <summary>JSON null, or an empty YAML value.</summary>
    Null,
}

/// <param name="ContentLine">Where the text itself starts (a block scalar starts on the next line).</param>
/// <param name="ContinuationColumn">Column where continuation lines of a block scalar start (its indentation + 1).</param>
internal sealed record SourceScalar(string Value, ScalarKind Kind, int Line, int Column, int ContentLine, int ContentColumn, int ContinuationColumn)
    : SourceNode(Line, Column);

internal sealed record SourceMapping(IReadOnlyList<KeyValuePair<SourceScalar, SourceNode>> Entries, int Line, int Column)
    : SourceNode(Line, Column);

internal sealed record SourceSequence(IReadOnlyList<SourceNode> Items, int Line, int Column)
    : SourceNode(Line, Column);

/// <summary>A document that could not be read at all: the reason and where.</summary>
internal sealed class SourceFormatException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}

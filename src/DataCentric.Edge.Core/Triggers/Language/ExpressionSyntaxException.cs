namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>A syntax or limit error at an offset of the expression; the parser stops at the first one.</summary>
internal sealed class ExpressionSyntaxException : Exception
{
    public ExpressionSyntaxException()
    {
    }

    public ExpressionSyntaxException(string message)
        : base(message)
    {
    }

    public ExpressionSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ExpressionSyntaxException(int offset, string message, string? expected = null)
        : base(message)
    {
        Offset = offset;
        Expected = expected;
    }

    public int Offset { get; }

    public string? Expected { get; }
}

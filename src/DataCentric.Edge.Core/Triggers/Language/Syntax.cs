namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>Parsed expression before type checking. <see cref="Start"/> is an offset into the text.</summary>
internal abstract record Syntax(int Start);

internal sealed record LiteralSyntax(int Start, TokenKind Kind, double Number, string Text) : Syntax(Start);

internal sealed record NameSyntax(int Start, string Name) : Syntax(Start);

internal sealed record UnarySyntax(int Start, TokenKind Operator, Syntax Operand) : Syntax(Start);

internal sealed record BinarySyntax(int Start, TokenKind Operator, string OperatorText, Syntax Left, Syntax Right) : Syntax(Start);

internal sealed record CallSyntax(int Start, string Name, IReadOnlyList<Syntax> Arguments) : Syntax(Start);

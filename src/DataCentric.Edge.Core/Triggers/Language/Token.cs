namespace DataCentric.Edge.Core.Triggers.Language;

internal enum TokenKind
{
    End,
    Number,
    Duration,
    String,
    Name,
    True,
    False,
    And,
    Or,
    Not,
    LeftParen,
    RightParen,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    EqualEqual,
    NotEqual,
}

/// <param name="Start">Offset of the token in the expression text.</param>
/// <param name="Number">The value of a number, or the seconds of a duration.</param>
internal readonly record struct Token(TokenKind Kind, int Start, int Length, string Text, double Number = 0);

using System.Globalization;

namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>
/// Splits an expression into tokens. Names may contain dots (<c>primary.brake</c>); a number
/// followed directly by <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c> is a duration.
/// </summary>
internal static class Lexer
{
    private const int MaxLiteralLength = 64;

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i < text.Length && text[i] == '#')
            {
                // Comments run to the end of the line, so long conditions can be explained in place.
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, text.Length, 0, string.Empty));
                return tokens;
            }

            var c = text[i];
            var token = c switch
            {
                _ when char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])) => ReadNumber(text, i),
                _ when char.IsAsciiLetter(c) || c == '_' => ReadName(text, i),
                '"' or '\'' => ReadString(text, i),
                '(' => Simple(TokenKind.LeftParen, i, 1, text),
                ')' => Simple(TokenKind.RightParen, i, 1, text),
                ',' => Simple(TokenKind.Comma, i, 1, text),
                '+' => Simple(TokenKind.Plus, i, 1, text),
                '-' => Simple(TokenKind.Minus, i, 1, text),
                '*' => Simple(TokenKind.Star, i, 1, text),
                '/' => Simple(TokenKind.Slash, i, 1, text),
                '<' when Next(text, i) == '=' => Simple(TokenKind.LessEqual, i, 2, text),
                '<' => Simple(TokenKind.Less, i, 1, text),
                '>' when Next(text, i) == '=' => Simple(TokenKind.GreaterEqual, i, 2, text),
                '>' => Simple(TokenKind.Greater, i, 1, text),
                '=' when Next(text, i) == '=' => Simple(TokenKind.EqualEqual, i, 2, text),
                '!' when Next(text, i) == '=' => Simple(TokenKind.NotEqual, i, 2, text),
                '=' => throw new ExpressionSyntaxException(i, "'=' is not an operator", "'==' to compare"),
                '&' => throw new ExpressionSyntaxException(i, "'&' is not an operator", "'and'"),
                '|' => throw new ExpressionSyntaxException(i, "'|' is not an operator", "'or'"),
                '!' => throw new ExpressionSyntaxException(i, "'!' is not an operator", "'not'"),
                _ => throw new ExpressionSyntaxException(i, $"unexpected character '{c}'", "a signal, a number, an operator or '('"),
            };
            tokens.Add(token);
            i += token.Length;
        }
    }

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

    private static Token Simple(TokenKind kind, int start, int length, string text) =>
        new(kind, start, length, text.Substring(start, length));

    private static Token ReadNumber(string text, int start)
    {
        var i = start;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E') && i + 1 < text.Length &&
            (char.IsAsciiDigit(text[i + 1]) || ((text[i + 1] == '+' || text[i + 1] == '-') && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2]))))
        {
            i += 2;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        var numberEnd = i;
        while (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
        {
            i++;
        }

        if (numberEnd - start > MaxLiteralLength)
        {
            throw new ExpressionSyntaxException(start, "number literal is too long", $"at most {MaxLiteralLength} characters");
        }

        var value = double.Parse(text.AsSpan(start, numberEnd - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            throw new ExpressionSyntaxException(start, "number literal is out of range", "a finite number");
        }

        var lexeme = text[start..i];
        if (i == numberEnd)
        {
            return new Token(TokenKind.Number, start, i - start, lexeme, value);
        }

        if (!DurationText.TryUnitSeconds(text.AsSpan(numberEnd, i - numberEnd), out var unitSeconds))
        {
            throw new ExpressionSyntaxException(numberEnd, $"unknown duration unit '{text[numberEnd..i]}'", "ms, s, m or h");
        }

        return new Token(TokenKind.Duration, start, i - start, lexeme, value * unitSeconds);
    }

    private static Token ReadName(string text, int start)
    {
        var i = start;
        while (true)
        {
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            // A dot continues the name only when a name part follows: `primary.brake`.
            if (i + 1 < text.Length && text[i] == '.' && (char.IsAsciiLetterOrDigit(text[i + 1]) || text[i + 1] == '_'))
            {
                i++;
                continue;
            }

            break;
        }

        var name = text[start..i];
        var kind = name switch
        {
            "and" => TokenKind.And,
            "or" => TokenKind.Or,
            "not" => TokenKind.Not,
            "true" => TokenKind.True,
            "false" => TokenKind.False,
            _ => TokenKind.Name,
        };
        return new Token(kind, start, i - start, name);
    }

    private static Token ReadString(string text, int start)
    {
        var quote = text[start];
        var end = text.IndexOf(quote, start + 1);
        if (end < 0)
        {
            throw new ExpressionSyntaxException(start, "string is not closed", $"a closing {quote}");
        }

        var newline = text.IndexOf('\n', start + 1, end - start - 1);
        if (newline >= 0)
        {
            throw new ExpressionSyntaxException(start, "string runs past the end of the line", $"a closing {quote}");
        }

        return new Token(TokenKind.String, start, end - start + 1, text.Substring(start + 1, end - start - 1));
    }
}

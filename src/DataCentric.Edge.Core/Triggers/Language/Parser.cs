namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>
/// Recursive-descent parser. Precedence, loosest first: <c>or</c>, <c>and</c>, <c>not</c>,
/// comparison (not chained), <c>+ -</c>, <c>* /</c>, unary minus, primary. Depth and node count
/// are checked while parsing so hostile input cannot overflow the stack.
/// </summary>
internal sealed class Parser
{
    private readonly List<Token> _tokens;
    private readonly int _maxDepth;
    private readonly int _maxNodes;
    private int _position;
    private int _depth;
    private int _nodes;

    private Parser(List<Token> tokens, int maxDepth, int maxNodes)
    {
        _tokens = tokens;
        _maxDepth = maxDepth;
        _maxNodes = maxNodes;
    }

    /// <exception cref="ExpressionSyntaxException">The first syntax or limit error.</exception>
    public static Syntax Parse(string text, TriggerLimits limits)
    {
        var parser = new Parser(Lexer.Tokenize(text), limits.MaxDepth, limits.MaxNodes);
        var result = parser.ParseOr();
        var next = parser.Peek;
        if (next.Kind != TokenKind.End)
        {
            throw new ExpressionSyntaxException(next.Start, $"unexpected '{next.Text}'", "an operator or the end of the expression");
        }

        return result;
    }

    private Token Peek => _tokens[_position];

    private Token Take() => _tokens[_position++];

    private T Node<T>(T node)
        where T : Syntax
    {
        if (++_nodes > _maxNodes)
        {
            throw new ExpressionSyntaxException(node.Start, $"expression has more than {_maxNodes} nodes", "a smaller expression");
        }

        return node;
    }

    private void Enter(int offset)
    {
        // The depth limit is configurable; never let a large one turn into a stack overflow.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (++_depth > _maxDepth)
        {
            throw new ExpressionSyntaxException(offset, $"expression is nested deeper than {_maxDepth}", "less nesting");
        }
    }

    private Syntax ParseOr()
    {
        Enter(Peek.Start);
        var left = ParseAnd();
        while (Peek.Kind == TokenKind.Or)
        {
            var op = Take();
            left = Node(new BinarySyntax(op.Start, op.Kind, op.Text, left, ParseAnd()));
        }

        _depth--;
        return left;
    }

    private Syntax ParseAnd()
    {
        var left = ParseNot();
        while (Peek.Kind == TokenKind.And)
        {
            var op = Take();
            left = Node(new BinarySyntax(op.Start, op.Kind, op.Text, left, ParseNot()));
        }

        return left;
    }

    private Syntax ParseNot()
    {
        if (Peek.Kind != TokenKind.Not)
        {
            return ParseComparison();
        }

        var op = Take();
        Enter(op.Start);
        var operand = ParseNot();
        _depth--;
        return Node(new UnarySyntax(op.Start, op.Kind, operand));
    }

    private Syntax ParseComparison()
    {
        var left = ParseAdditive();
        if (!IsComparison(Peek.Kind))
        {
            return left;
        }

        var op = Take();
        var result = Node(new BinarySyntax(op.Start, op.Kind, op.Text, left, ParseAdditive()));
        if (IsComparison(Peek.Kind))
        {
            throw new ExpressionSyntaxException(Peek.Start, "comparisons cannot be chained", "'and' between two comparisons");
        }

        return result;
    }

    private static bool IsComparison(TokenKind kind) => kind is TokenKind.Less or TokenKind.LessEqual or TokenKind.Greater
        or TokenKind.GreaterEqual or TokenKind.EqualEqual or TokenKind.NotEqual;

    private Syntax ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Peek.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Take();
            left = Node(new BinarySyntax(op.Start, op.Kind, op.Text, left, ParseMultiplicative()));
        }

        return left;
    }

    private Syntax ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Peek.Kind is TokenKind.Star or TokenKind.Slash)
        {
            var op = Take();
            left = Node(new BinarySyntax(op.Start, op.Kind, op.Text, left, ParseUnary()));
        }

        return left;
    }

    private Syntax ParseUnary()
    {
        if (Peek.Kind != TokenKind.Minus)
        {
            return ParsePrimary();
        }

        var op = Take();
        Enter(op.Start);
        var operand = ParseUnary();
        _depth--;
        return Node(new UnarySyntax(op.Start, op.Kind, operand));
    }

    private Syntax ParsePrimary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.Number or TokenKind.Duration or TokenKind.String or TokenKind.True or TokenKind.False:
                return Node(new LiteralSyntax(token.Start, token.Kind, token.Number, token.Text));
            case TokenKind.LeftParen:
                var inner = ParseOr();
                Expect(TokenKind.RightParen, "')'");
                return inner;
            case TokenKind.Name when Peek.Kind == TokenKind.LeftParen:
                return ParseCall(token);
            case TokenKind.Name:
                return Node(new NameSyntax(token.Start, token.Text));
            case TokenKind.End:
                throw new ExpressionSyntaxException(token.Start, "expression ends too early", "a signal, a number, a function call or '('");
            default:
                throw new ExpressionSyntaxException(token.Start, $"unexpected '{token.Text}'", "a signal, a number, a function call or '('");
        }
    }

    private CallSyntax ParseCall(Token name)
    {
        Take();
        var arguments = new List<Syntax>();
        if (Peek.Kind != TokenKind.RightParen)
        {
            arguments.Add(ParseOr());
            while (Peek.Kind == TokenKind.Comma)
            {
                Take();
                arguments.Add(ParseOr());
            }
        }

        Expect(TokenKind.RightParen, "',' or ')'");
        return Node(new CallSyntax(name.Start, name.Text, arguments));
    }

    private void Expect(TokenKind kind, string expected)
    {
        var token = Peek;
        if (token.Kind != kind)
        {
            var found = token.Kind == TokenKind.End ? "end of the expression" : $"'{token.Text}'";
            throw new ExpressionSyntaxException(token.Start, $"unexpected {found}", expected);
        }

        Take();
    }
}

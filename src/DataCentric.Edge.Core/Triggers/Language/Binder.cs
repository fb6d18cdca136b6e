using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Language.Functions;

namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>
/// Type-checks a parsed condition against the known signals and turns it into one LINQ expression
/// over (<see cref="EvalFrame"/>, state array). Collects every type error rather than stopping at
/// the first; an erroneous sub-expression has type <see cref="ExprType.Error"/> and stays quiet.
/// </summary>
internal sealed partial class Binder
{
    private readonly IReadOnlyDictionary<string, SignalKind> _signals;
    private readonly Func<string, int> _slotOf;
    private readonly TriggerLimits _limits;

    public Binder(IReadOnlyDictionary<string, SignalKind> signals, Func<string, int> slotOf, TriggerLimits limits)
    {
        _signals = signals;
        _slotOf = slotOf;
        _limits = limits;
    }

    public ParameterExpression Frame { get; } = Expression.Parameter(typeof(EvalFrame), "frame");

    public ParameterExpression States { get; } = Expression.Parameter(typeof(ITemporalState[]), "states");

    public List<BindError> Errors { get; } = [];

    /// <summary>Factories for the temporal states, indexed like the state array.</summary>
    public List<Func<TemporalContext, ITemporalState>> StateFactories { get; } = [];

    /// <summary>Slots of every signal the condition reads; all must be fresh for it to be evaluated.</summary>
    public SortedSet<int> UsedSlots { get; } = [];

    public Expression Now => Expression.Property(Frame, typeof(EvalFrame).GetProperty(nameof(EvalFrame.Now))!);

    public Bound Bind(Syntax syntax) => syntax switch
    {
        LiteralSyntax literal => BindLiteral(literal),
        NameSyntax name => BindName(name),
        UnarySyntax unary => BindUnary(unary),
        BinarySyntax binary => BindBinary(binary),
        CallSyntax call => BindCall(call),
        _ => throw new InvalidOperationException($"Unknown syntax {syntax.GetType().Name}."),
    };

    private static Bound BindLiteral(LiteralSyntax literal) => literal.Kind switch
    {
        TokenKind.Number => new(ExprType.Number, Expression.Constant(literal.Number), false),
        TokenKind.Duration => new(ExprType.Duration, Expression.Constant(literal.Number), false),
        TokenKind.String => new(ExprType.String, Expression.Constant(literal.Text, typeof(string)), false),
        TokenKind.True => new(ExprType.Bool, Expression.Constant(true), false),
        _ => new(ExprType.Bool, Expression.Constant(false), false),
    };

    private Bound BindName(NameSyntax name)
    {
        if (!_signals.TryGetValue(name.Name, out var kind))
        {
            var isFunction = BuiltInFunctions.IsDefined(name.Name);
            Errors.Add(new BindError(
                name.Start,
                isFunction ? $"'{name.Name}' is a function and needs arguments" : $"unknown signal '{name.Name}'",
                isFunction ? $"{name.Name}(...)" : "a known signal name",
                isFunction ? null : NameSuggester.Suggest(name.Name, _signals.Keys),
                isFunction ? null : name.Name));
            return Bound.Error;
        }

        var slot = Slot(name.Name);
        var index = Expression.Constant(slot);
        return kind switch
        {
            SignalKind.Number => new(ExprType.Number, Expression.ArrayIndex(Numbers, index), false),
            SignalKind.Bool => new(ExprType.Bool, Expression.NotEqual(Expression.ArrayIndex(Numbers, index), Expression.Constant(0d)), false),
            SignalKind.Text => new(ExprType.String, Expression.TypeAs(Expression.ArrayIndex(Refs, index), typeof(string)), false),
            SignalKind.Detections => new(ExprType.Detections, Expression.TypeAs(Expression.ArrayIndex(Refs, index), typeof(Detection[])), false),
            _ => new(ExprType.Vector, Expression.TypeAs(Expression.ArrayIndex(Refs, index), typeof(float[])), false),
        };
    }

    private Expression Numbers => Expression.Property(Frame, typeof(EvalFrame).GetProperty(nameof(EvalFrame.Numbers))!);

    private Expression Refs => Expression.Property(Frame, typeof(EvalFrame).GetProperty(nameof(EvalFrame.Refs))!);

    private int Slot(string name)
    {
        var slot = _slotOf(name);
        UsedSlots.Add(slot);
        return slot;
    }

    private Bound BindUnary(UnarySyntax unary)
    {
        var operand = Bind(unary.Operand);
        if (operand.Type == ExprType.Error)
        {
            return Bound.Error;
        }

        if (unary.Operator == TokenKind.Not)
        {
            return operand.Type == ExprType.Bool
                ? operand with { Expression = Expression.Not(operand.Expression) }
                : Mismatch(unary.Start, "'not' needs a bool", operand.Type);
        }

        return operand.Type is ExprType.Number or ExprType.Duration
            ? operand with { Expression = Expression.Negate(operand.Expression) }
            : Mismatch(unary.Start, "'-' needs a number or a duration", operand.Type);
    }

    private Bound BindBinary(BinarySyntax binary)
    {
        var left = Bind(binary.Left);
        var right = Bind(binary.Right);
        if (left.Type == ExprType.Error || right.Type == ExprType.Error)
        {
            return Bound.Error;
        }

        var stateful = left.Stateful || right.Stateful;
        var (l, r) = (left.Expression, right.Expression);
        var pair = (left.Type, right.Type);
        switch (binary.Operator)
        {
            case TokenKind.And or TokenKind.Or when pair == (ExprType.Bool, ExprType.Bool):
                // Temporal calls on the right must see every tick, so no short-circuit around them.
                var combined = binary.Operator == TokenKind.And
                    ? (right.Stateful ? Expression.And(l, r) : Expression.AndAlso(l, r))
                    : (right.Stateful ? Expression.Or(l, r) : Expression.OrElse(l, r));
                return new(ExprType.Bool, combined, stateful);

            case TokenKind.Plus or TokenKind.Minus when left.Type == right.Type && left.Type is ExprType.Number or ExprType.Duration:
                return new(left.Type, binary.Operator == TokenKind.Plus ? Expression.Add(l, r) : Expression.Subtract(l, r), stateful);

            case TokenKind.Star when pair == (ExprType.Number, ExprType.Number):
                return new(ExprType.Number, Expression.Multiply(l, r), stateful);
            case TokenKind.Star when pair is (ExprType.Duration, ExprType.Number) or (ExprType.Number, ExprType.Duration):
                return new(ExprType.Duration, Expression.Multiply(l, r), stateful);

            case TokenKind.Slash when pair is (ExprType.Number, ExprType.Number) or (ExprType.Duration, ExprType.Duration):
                return new(ExprType.Number, Expression.Divide(l, r), stateful);
            case TokenKind.Slash when pair == (ExprType.Duration, ExprType.Number):
                return new(ExprType.Duration, Expression.Divide(l, r), stateful);

            case TokenKind.Less or TokenKind.LessEqual or TokenKind.Greater or TokenKind.GreaterEqual
                when left.Type == right.Type && left.Type is ExprType.Number or ExprType.Duration:
                return new(ExprType.Bool, Compare(binary.Operator, l, r), stateful);

            case TokenKind.EqualEqual or TokenKind.NotEqual
                when left.Type == right.Type && left.Type is ExprType.Number or ExprType.Duration or ExprType.Bool:
                return new(ExprType.Bool, binary.Operator == TokenKind.EqualEqual ? Expression.Equal(l, r) : Expression.NotEqual(l, r), stateful);
            case TokenKind.EqualEqual or TokenKind.NotEqual when pair == (ExprType.String, ExprType.String):
                Expression equals = Expression.Call(Method(nameof(TriggerFunctions.TextEquals)), l, r);
                return new(ExprType.Bool, binary.Operator == TokenKind.EqualEqual ? equals : Expression.Not(equals), stateful);
        }

        var expected = binary.Operator switch
        {
            TokenKind.And or TokenKind.Or => "two bools",
            TokenKind.Plus or TokenKind.Minus => "two numbers or two durations",
            TokenKind.Star => "two numbers, or a duration and a number",
            TokenKind.Slash => "two numbers, two durations, or a duration and a number",
            TokenKind.EqualEqual or TokenKind.NotEqual => "two values of the same type",
            _ => "two numbers or two durations",
        };
        Errors.Add(new BindError(
            binary.Start,
            $"'{binary.OperatorText}' cannot combine {ExprTypes.Describe(left.Type)} and {ExprTypes.Describe(right.Type)}",
            expected));
        return Bound.Error;
    }

    private static BinaryExpression Compare(TokenKind op, Expression l, Expression r) => op switch
    {
        TokenKind.Less => Expression.LessThan(l, r),
        TokenKind.LessEqual => Expression.LessThanOrEqual(l, r),
        TokenKind.Greater => Expression.GreaterThan(l, r),
        _ => Expression.GreaterThanOrEqual(l, r),
    };

    private Bound Mismatch(int offset, string message, ExprType got)
    {
        Errors.Add(new BindError(offset, $"{message}, got {ExprTypes.Describe(got)}"));
        return Bound.Error;
    }

    /// <summary>A helper of <see cref="TriggerFunctions"/>.</summary>
    public static MethodInfo Method(string name) => Method(typeof(TriggerFunctions), name);

    /// <summary>A public static helper of <paramref name="type"/>, such as one kept beside a function's descriptor.</summary>
    public static MethodInfo Method([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type type, string name) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)
        ?? throw new InvalidOperationException($"Missing helper {name}.");

    /// <summary>A method of a temporal state, found by a name the trimmer can follow.</summary>
    public static MethodInfo StateMethod<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] TState>(string name)
        where TState : ITemporalState =>
        typeof(TState).GetMethod(name) ?? throw new InvalidOperationException($"Missing {typeof(TState).Name}.{name}.");
}

using System.Linq.Expressions;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Language.Functions;

namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>
/// Calls of the built-in functions: the one dispatch through <see cref="BuiltInFunctions"/>, and the
/// helpers their <see cref="FunctionDescriptor.Bind"/> delegates bind arguments, windows and
/// temporal state with.
/// </summary>
internal sealed partial class Binder
{
    private Bound BindCall(CallSyntax call)
    {
        if (!BuiltInFunctions.TryGet(call.Name, out var function))
        {
            Errors.Add(new BindError(call.Start, $"unknown function '{call.Name}'", BuiltInFunctions.Expected, NameSuggester.Suggest(call.Name, BuiltInFunctions.Names)));
            return Bound.Error;
        }

        if (!function.Arity.Accepts(call.Arguments.Count))
        {
            Errors.Add(new BindError(call.Start, function.Arity.Mismatch(call.Name, call.Arguments.Count), function.Signature));
            return Bound.Error;
        }

        return function.Bind(this, call);
    }

    /// <summary>Binds an argument and reports if it is not of the expected type.</summary>
    public Bound Expect(Syntax syntax, ExprType expected)
    {
        var bound = Bind(syntax);
        if (bound.Type == ExprType.Error || bound.Type == expected)
        {
            return bound;
        }

        Errors.Add(new BindError(syntax.Start, $"expected {ExprTypes.Describe(expected)}, got {ExprTypes.Describe(bound.Type)}", ExprTypes.Describe(expected)));
        return Bound.Error;
    }

    /// <summary>A number or a duration argument, passed through <paramref name="build"/>; the result has its type.</summary>
    public Bound NumberLike(CallSyntax call, Syntax argument, Func<Expression, Expression> build)
    {
        var bound = Bind(argument);
        if (bound.Type == ExprType.Error)
        {
            return Bound.Error;
        }

        if (bound.Type is not (ExprType.Number or ExprType.Duration))
        {
            return Mismatch(argument.Start, $"'{call.Name}' needs a number or a duration", bound.Type);
        }

        return bound with { Expression = build(bound.Expression) };
    }

    /// <summary>Every argument a number, all passed to <paramref name="build"/> at once.</summary>
    public Bound BindNumbers(CallSyntax call, ExprType resultType, Func<Expression[], Expression> build)
    {
        var bound = call.Arguments.Select(a => Expect(a, ExprType.Number)).ToArray();
        return bound.Any(b => b.Type == ExprType.Error)
            ? Bound.Error
            : new(resultType, build([.. bound.Select(b => b.Expression)]), bound.Any(b => b.Stateful));
    }

    /// <summary>
    /// <c>min</c> and <c>max</c>: a <paramref name="window"/> over a signal when called with a name and
    /// a duration literal, otherwise <paramref name="mathMethod"/> folded over two or more numbers or
    /// durations of one type.
    /// </summary>
    public Bound BindMinMax(CallSyntax call, WindowKind window, string mathMethod, string signature)
    {
        if (call.Arguments is [NameSyntax, LiteralSyntax { Kind: TokenKind.Duration }])
        {
            return BindWindow(call, window);
        }

        var bound = call.Arguments.Select(Bind).ToArray();
        if (bound.Any(b => b.Type == ExprType.Error))
        {
            return Bound.Error;
        }

        var type = bound[0].Type;
        if (type is not (ExprType.Number or ExprType.Duration) || bound.Any(b => b.Type != type))
        {
            Errors.Add(new BindError(call.Start, $"'{call.Name}' needs numbers or durations of one type", signature));
            return Bound.Error;
        }

        var method = typeof(Math).GetMethod(mathMethod, [typeof(double), typeof(double)])!;
        var result = bound[0].Expression;
        foreach (var next in bound.Skip(1))
        {
            result = Expression.Call(method, result, next.Expression);
        }

        return new(type, result, bound.Any(b => b.Stateful));
    }

    /// <summary>A duration that must be written as a literal, so state and cost are known when the set is accepted.</summary>
    public double? LiteralDuration(CallSyntax call, int index)
    {
        var argument = call.Arguments[index];
        if (argument is not LiteralSyntax { Kind: TokenKind.Duration } literal)
        {
            Errors.Add(new BindError(argument.Start, $"argument {index + 1} of '{call.Name}' must be a duration literal", "a duration such as 500ms or 2s"));
            return null;
        }

        if (literal.Number > _limits.MaxWindow.TotalSeconds)
        {
            Errors.Add(new BindError(argument.Start, $"window {literal.Text} is longer than the limit of {DurationText.Format(_limits.MaxWindow)}", $"at most {DurationText.Format(_limits.MaxWindow)}"));
            return null;
        }

        return literal.Number;
    }

    /// <summary>Adds a temporal state to the condition's state array; the expression reads it back.</summary>
    public (Expression Call, int Index) State<T>(Func<TemporalContext, T> factory)
        where T : ITemporalState
    {
        var index = StateFactories.Count;
        StateFactories.Add(context => factory(context));
        return (Expression.Convert(Expression.ArrayIndex(States, Expression.Constant(index)), typeof(T)), index);
    }

    /// <summary><c>rose</c> and <c>fell</c>: <paramref name="edgeMethod"/> of an <see cref="EdgeState"/> over a condition.</summary>
    public Bound BindEdge(CallSyntax call, string edgeMethod)
    {
        var condition = Expect(call.Arguments[0], ExprType.Bool);
        if (condition.Type == ExprType.Error)
        {
            return Bound.Error;
        }

        var (state, _) = State(_ => new EdgeState());
        return new(ExprType.Bool, Expression.Call(state, StateMethod<EdgeState>(edgeMethod), condition.Expression), true);
    }

    /// <summary>The signal argument of a window or novelty call: a name, not an expression, because its history comes from the bus.</summary>
    public int? SignalArgument(CallSyntax call, int index, params SignalKind[] kinds)
    {
        var argument = call.Arguments[index];
        if (argument is not NameSyntax name)
        {
            Errors.Add(new BindError(argument.Start, $"argument {index + 1} of '{call.Name}' must be a signal name", "a signal name such as vehicle.speed"));
            return null;
        }

        var bound = BindName(name);
        if (bound.Type == ExprType.Error)
        {
            return null;
        }

        var kind = _signals[name.Name];
        if (!kinds.Contains(kind))
        {
            var expected = string.Join(" or ", kinds.Select(k => ExprTypes.Describe(ExprTypes.FromSignal(k))));
            Errors.Add(new BindError(argument.Start, $"'{call.Name}' needs a {expected} signal, '{name.Name}' is {ExprTypes.Describe(bound.Type)}", expected));
            return null;
        }

        return Slot(name.Name);
    }

    /// <summary><c>mean|min|max|delta(signal, 2s)</c>: a window over a number or bool signal's recent samples.</summary>
    public Bound BindWindow(CallSyntax call, WindowKind kind)
    {
        var slot = SignalArgument(call, 0, SignalKind.Number, SignalKind.Bool);
        var seconds = LiteralDuration(call, 1);
        if (slot is null || seconds is null)
        {
            return Bound.Error;
        }

        var (state, _) = State(context => new WindowState(kind, seconds.Value, context.HistorySamples));
        return new(ExprType.Number, Expression.Call(state, StateMethod<WindowState>(nameof(WindowState.Evaluate)), Frame, Expression.Constant(slot.Value)), true);
    }
}

using System.Linq.Expressions;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>The built-in functions: plain maths, temporal operators, windows and disagreement helpers.</summary>
internal sealed partial class Binder
{
    public static readonly IReadOnlySet<string> FunctionNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "abs", "min", "max", "clamp", "held", "rose", "fell", "since", "mean", "delta",
        "disagree", "class_mismatch", "iou_miss", "novelty", "count", "max_score",
    };

    private Bound BindCall(CallSyntax call)
    {
        var args = call.Arguments;
        switch (call.Name)
        {
            case "abs" when Arity(call, 1):
                return NumberLike(call, args[0], a => Expression.Call(typeof(Math).GetMethod(nameof(Math.Abs), [typeof(double)])!, a));
            case "min" or "max" when args.Count == 2 && args[0] is NameSyntax && args[1] is LiteralSyntax { Kind: TokenKind.Duration }:
                return BindWindow(call, call.Name == "min" ? WindowKind.Min : WindowKind.Max);
            case "min" or "max" when AtLeast(call, 2):
                return BindMinMax(call);
            case "clamp" when Arity(call, 3):
                return BindNumbers(call, ExprType.Number, a => Expression.Call(Method(nameof(TriggerFunctions.Clamp)), a));
            case "held" when Arity(call, 2):
                return BindHeld(call);
            case "rose" or "fell" when Arity(call, 1):
                return BindEdge(call);
            case "since" when Arity(call, 1):
                return BindSince(call);
            case "mean" or "delta" when Arity(call, 2):
                return BindWindow(call, call.Name == "mean" ? WindowKind.Mean : WindowKind.Delta);
            case "disagree" when Arity(call, 4):
                return BindDisagree(call);
            case "class_mismatch" when Arity(call, 2):
                return BindClassMismatch(call);
            case "iou_miss" when Arity(call, 3):
                return BindIouMiss(call);
            case "novelty" when Arity(call, 1):
                return BindNovelty(call);
            case "count" when args.Count is 1 or 2 || Arity(call, 1):
                return BindCount(call);
            case "max_score" when Arity(call, 1):
                var detections = Expect(args[0], ExprType.Detections);
                return detections.Type == ExprType.Error
                    ? Bound.Error
                    : new(ExprType.Number, Expression.Call(Method(nameof(TriggerFunctions.MaxScore)), detections.Expression), detections.Stateful);
            case var name when !FunctionNames.Contains(name):
                Errors.Add(new BindError(call.Start, $"unknown function '{name}'", "one of " + string.Join(", ", FunctionNames.Order(StringComparer.Ordinal)), NameSuggester.Suggest(name, FunctionNames)));
                return Bound.Error;
            default:
                return Bound.Error; // wrong arity, already reported
        }
    }

    private bool Arity(CallSyntax call, int count)
    {
        if (call.Arguments.Count == count)
        {
            return true;
        }

        Errors.Add(new BindError(call.Start, $"'{call.Name}' takes {count} argument{(count == 1 ? string.Empty : "s")}, got {call.Arguments.Count}", Signature(call.Name)));
        return false;
    }

    private bool AtLeast(CallSyntax call, int count)
    {
        if (call.Arguments.Count >= count)
        {
            return true;
        }

        Errors.Add(new BindError(call.Start, $"'{call.Name}' takes at least {count} arguments, got {call.Arguments.Count}", Signature(call.Name)));
        return false;
    }

    private static string Signature(string name) => name switch
    {
        "abs" => "abs(x)",
        "min" or "max" => $"{name}(a, b, ...) or {name}(signal, 2s)",
        "clamp" => "clamp(x, low, high)",
        "held" => "held(condition, 500ms)",
        "rose" or "fell" or "since" => $"{name}(condition)",
        "mean" or "delta" => $"{name}(signal, 2s)",
        "disagree" => "disagree(a, b, tolerance, 300ms)",
        "class_mismatch" => "class_mismatch(a, b)",
        "iou_miss" => "iou_miss(shadow.boxes, primary.boxes, 0.5)",
        "novelty" => "novelty(shadow.embedding)",
        "count" => "count(boxes) or count(boxes, minScore)",
        _ => $"{name}(detections)",
    };

    /// <summary>Binds an argument and reports if it is not of the expected type.</summary>
    private Bound Expect(Syntax syntax, ExprType expected)
    {
        var bound = Bind(syntax);
        if (bound.Type == ExprType.Error || bound.Type == expected)
        {
            return bound;
        }

        Errors.Add(new BindError(syntax.Start, $"expected {ExprTypes.Describe(expected)}, got {ExprTypes.Describe(bound.Type)}", ExprTypes.Describe(expected)));
        return Bound.Error;
    }

    private Bound NumberLike(CallSyntax call, Syntax argument, Func<Expression, Expression> build)
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

    private Bound BindNumbers(CallSyntax call, ExprType resultType, Func<Expression[], Expression> build)
    {
        var bound = call.Arguments.Select(a => Expect(a, ExprType.Number)).ToArray();
        return bound.Any(b => b.Type == ExprType.Error)
            ? Bound.Error
            : new(resultType, build([.. bound.Select(b => b.Expression)]), bound.Any(b => b.Stateful));
    }

    private Bound BindMinMax(CallSyntax call)
    {
        var bound = call.Arguments.Select(Bind).ToArray();
        if (bound.Any(b => b.Type == ExprType.Error))
        {
            return Bound.Error;
        }

        var type = bound[0].Type;
        if (type is not (ExprType.Number or ExprType.Duration) || bound.Any(b => b.Type != type))
        {
            Errors.Add(new BindError(call.Start, $"'{call.Name}' needs numbers or durations of one type", Signature(call.Name)));
            return Bound.Error;
        }

        var method = typeof(Math).GetMethod(call.Name == "min" ? nameof(Math.Min) : nameof(Math.Max), [typeof(double), typeof(double)])!;
        var result = bound[0].Expression;
        foreach (var next in bound.Skip(1))
        {
            result = Expression.Call(method, result, next.Expression);
        }

        return new(type, result, bound.Any(b => b.Stateful));
    }

    /// <summary>A duration that must be written as a literal, so state and cost are known when the set is accepted.</summary>
    private double? LiteralDuration(CallSyntax call, int index)
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

    private (Expression Call, int Index) State<T>(Func<TemporalContext, T> factory)
        where T : ITemporalState
    {
        var index = StateFactories.Count;
        StateFactories.Add(context => factory(context));
        return (Expression.Convert(Expression.ArrayIndex(States, Expression.Constant(index)), typeof(T)), index);
    }

    private Bound BindHeld(CallSyntax call)
    {
        var condition = Expect(call.Arguments[0], ExprType.Bool);
        var seconds = LiteralDuration(call, 1);
        if (condition.Type == ExprType.Error || seconds is null)
        {
            return Bound.Error;
        }

        var (state, _) = State(_ => new HeldState(seconds.Value));
        return new(ExprType.Bool, Expression.Call(state, StateMethod<HeldState>(nameof(HeldState.Update)), condition.Expression, Now), true);
    }

    private Bound BindEdge(CallSyntax call)
    {
        var condition = Expect(call.Arguments[0], ExprType.Bool);
        if (condition.Type == ExprType.Error)
        {
            return Bound.Error;
        }

        var (state, _) = State(_ => new EdgeState());
        var method = call.Name == "rose" ? nameof(EdgeState.Rose) : nameof(EdgeState.Fell);
        return new(ExprType.Bool, Expression.Call(state, StateMethod<EdgeState>(method), condition.Expression), true);
    }

    private Bound BindSince(CallSyntax call)
    {
        var condition = Expect(call.Arguments[0], ExprType.Bool);
        if (condition.Type == ExprType.Error)
        {
            return Bound.Error;
        }

        var (state, _) = State(_ => new SinceState());
        return new(ExprType.Duration, Expression.Call(state, StateMethod<SinceState>(nameof(SinceState.Update)), condition.Expression, Now), true);
    }

    /// <summary>The signal argument of a window or novelty call: a name, not an expression, because its history comes from the bus.</summary>
    private int? SignalArgument(CallSyntax call, int index, params SignalKind[] kinds)
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

    private Bound BindWindow(CallSyntax call, WindowKind kind)
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

    private Bound BindDisagree(CallSyntax call)
    {
        var a = Expect(call.Arguments[0], ExprType.Number);
        var b = Expect(call.Arguments[1], ExprType.Number);
        var tolerance = Expect(call.Arguments[2], ExprType.Number);
        var lag = LiteralDuration(call, 3);
        if (a.Type == ExprType.Error || b.Type == ExprType.Error || tolerance.Type == ExprType.Error || lag is null)
        {
            return Bound.Error;
        }

        // The controller gets `lag` to catch up: only a difference that persists that long counts.
        var difference = Expression.Call(typeof(Math).GetMethod(nameof(Math.Abs), [typeof(double)])!, Expression.Subtract(a.Expression, b.Expression));
        var (state, _) = State(_ => new HeldState(lag.Value));
        return new(ExprType.Bool, Expression.Call(state, StateMethod<HeldState>(nameof(HeldState.Update)), Expression.GreaterThan(difference, tolerance.Expression), Now), true);
    }

    private Bound BindClassMismatch(CallSyntax call)
    {
        var a = Bind(call.Arguments[0]);
        var b = Bind(call.Arguments[1]);
        if (a.Type == ExprType.Error || b.Type == ExprType.Error)
        {
            return Bound.Error;
        }

        var helper = (a.Type, b.Type) switch
        {
            (ExprType.String, ExprType.String) => nameof(TriggerFunctions.ClassMismatchText),
            (ExprType.Number, ExprType.Number) => nameof(TriggerFunctions.ClassMismatchNumber),
            (ExprType.Detections, ExprType.Detections) => nameof(TriggerFunctions.ClassMismatchDetections),
            _ => null,
        };
        if (helper is null)
        {
            Errors.Add(new BindError(call.Start, $"'class_mismatch' cannot compare {ExprTypes.Describe(a.Type)} and {ExprTypes.Describe(b.Type)}", "two strings, two numbers or two detection lists"));
            return Bound.Error;
        }

        return new(ExprType.Bool, Expression.Call(Method(helper), a.Expression, b.Expression), a.Stateful || b.Stateful);
    }

    private Bound BindIouMiss(CallSyntax call)
    {
        var a = Expect(call.Arguments[0], ExprType.Detections);
        var b = Expect(call.Arguments[1], ExprType.Detections);
        var threshold = Expect(call.Arguments[2], ExprType.Number);
        return a.Type == ExprType.Error || b.Type == ExprType.Error || threshold.Type == ExprType.Error
            ? Bound.Error
            : new(ExprType.Bool, Expression.Call(Method(nameof(TriggerFunctions.IouMiss)), a.Expression, b.Expression, threshold.Expression), a.Stateful || b.Stateful || threshold.Stateful);
    }

    private Bound BindNovelty(CallSyntax call)
    {
        var slot = SignalArgument(call, 0, SignalKind.Vector);
        if (slot is null)
        {
            return Bound.Error;
        }

        var (state, _) = State(context => new NoveltyState(context.NoveltyReferenceSize));
        return new(ExprType.Number, Expression.Call(state, StateMethod<NoveltyState>(nameof(NoveltyState.Update)), Frame, Expression.Constant(slot.Value)), true);
    }

    private Bound BindCount(CallSyntax call)
    {
        var detections = Expect(call.Arguments[0], ExprType.Detections);
        if (call.Arguments.Count == 1)
        {
            return detections.Type == ExprType.Error
                ? Bound.Error
                : new(ExprType.Number, Expression.Call(Method(nameof(TriggerFunctions.Count)), detections.Expression), detections.Stateful);
        }

        var minScore = Expect(call.Arguments[1], ExprType.Number);
        return detections.Type == ExprType.Error || minScore.Type == ExprType.Error
            ? Bound.Error
            : new(ExprType.Number, Expression.Call(Method(nameof(TriggerFunctions.CountAbove)), detections.Expression, minScore.Expression), detections.Stateful || minScore.Stateful);
    }

}

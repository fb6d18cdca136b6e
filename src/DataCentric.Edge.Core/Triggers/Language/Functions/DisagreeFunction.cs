using System.Linq.Expressions;

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>disagree(a, b, tolerance, 300ms)</c>: |a − b| above the tolerance for at least the lag.</summary>
internal static class DisagreeFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("disagree", FunctionArity.Exactly(4), "disagree(a, b, tolerance, 300ms)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call)
    {
        var a = binder.Expect(call.Arguments[0], ExprType.Number);
        var b = binder.Expect(call.Arguments[1], ExprType.Number);
        var tolerance = binder.Expect(call.Arguments[2], ExprType.Number);
        var lag = binder.LiteralDuration(call, 3);
        if (a.Type == ExprType.Error || b.Type == ExprType.Error || tolerance.Type == ExprType.Error || lag is null)
        {
            return Bound.Error;
        }

        // The controller gets `lag` to catch up: only a difference that persists that long counts.
        var difference = Expression.Call(typeof(Math).GetMethod(nameof(Math.Abs), [typeof(double)])!, Expression.Subtract(a.Expression, b.Expression));
        var (state, _) = binder.State(_ => new HeldState(lag.Value));
        return new(ExprType.Bool, Expression.Call(state, Binder.StateMethod<HeldState>(nameof(HeldState.Update)), Expression.GreaterThan(difference, tolerance.Expression), binder.Now), true);
    }
}

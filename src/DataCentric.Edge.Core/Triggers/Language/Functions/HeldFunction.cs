using System.Linq.Expressions;

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>held(condition, 500ms)</c>: the condition has been true on every tick for that long.</summary>
internal static class HeldFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("held", FunctionArity.Exactly(2), "held(condition, 500ms)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call)
    {
        var condition = binder.Expect(call.Arguments[0], ExprType.Bool);
        var seconds = binder.LiteralDuration(call, 1);
        if (condition.Type == ExprType.Error || seconds is null)
        {
            return Bound.Error;
        }

        var (state, _) = binder.State(_ => new HeldState(seconds.Value));
        return new(ExprType.Bool, Expression.Call(state, Binder.StateMethod<HeldState>(nameof(HeldState.Update)), condition.Expression, binder.Now), true);
    }
}

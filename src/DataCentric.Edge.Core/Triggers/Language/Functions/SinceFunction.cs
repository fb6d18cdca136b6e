using System.Linq.Expressions;

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>since(condition)</c>: the duration since the condition was last true, infinite if never.</summary>
internal static class SinceFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("since", FunctionArity.Exactly(1), "since(condition)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call)
    {
        var condition = binder.Expect(call.Arguments[0], ExprType.Bool);
        if (condition.Type == ExprType.Error)
        {
            return Bound.Error;
        }

        var (state, _) = binder.State(_ => new SinceState());
        return new(ExprType.Duration, Expression.Call(state, Binder.StateMethod<SinceState>(nameof(SinceState.Update)), condition.Expression, binder.Now), true);
    }
}

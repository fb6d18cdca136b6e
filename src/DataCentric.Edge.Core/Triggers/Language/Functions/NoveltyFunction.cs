using System.Linq.Expressions;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>novelty(shadow.embedding)</c>: cosine distance of the newest embedding from the nearest recent one.</summary>
internal static class NoveltyFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("novelty", FunctionArity.Exactly(1), "novelty(shadow.embedding)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call)
    {
        var slot = binder.SignalArgument(call, 0, SignalKind.Vector);
        if (slot is null)
        {
            return Bound.Error;
        }

        var (state, _) = binder.State(context => new NoveltyState(context.NoveltyReferenceSize));
        return new(ExprType.Number, Expression.Call(state, Binder.StateMethod<NoveltyState>(nameof(NoveltyState.Update)), binder.Frame, Expression.Constant(slot.Value)), true);
    }
}

using System.Linq.Expressions;

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>clamp(x, low, high)</c>: x held between the bounds, given either way round.</summary>
internal static class ClampFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("clamp", FunctionArity.Exactly(3), "clamp(x, low, high)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call) =>
        binder.BindNumbers(call, ExprType.Number, a => Expression.Call(Binder.Method(nameof(TriggerFunctions.Clamp)), a));
}

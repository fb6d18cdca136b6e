using System.Linq.Expressions;

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>abs(x)</c>: the magnitude of a number or a duration.</summary>
internal static class AbsFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("abs", FunctionArity.Exactly(1), "abs(x)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call) =>
        binder.NumberLike(call, call.Arguments[0], a => Expression.Call(typeof(Math).GetMethod(nameof(Math.Abs), [typeof(double)])!, a));
}

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>rose(condition)</c>: true on the tick the condition turns true.</summary>
internal static class RoseFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("rose", FunctionArity.Exactly(1), "rose(condition)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call) => binder.BindEdge(call, nameof(EdgeState.Rose));
}

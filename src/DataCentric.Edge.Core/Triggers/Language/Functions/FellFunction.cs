namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>fell(condition)</c>: true on the tick the condition turns false.</summary>
internal static class FellFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("fell", FunctionArity.Exactly(1), "fell(condition)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call) => binder.BindEdge(call, nameof(EdgeState.Fell));
}

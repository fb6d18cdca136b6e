namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>delta(signal, 2s)</c>: newest minus oldest sample of the window.</summary>
internal static class DeltaFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("delta", FunctionArity.Exactly(2), "delta(signal, 2s)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call) => binder.BindWindow(call, WindowKind.Delta);
}

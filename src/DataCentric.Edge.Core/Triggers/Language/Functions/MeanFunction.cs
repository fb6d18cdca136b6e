namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>mean(signal, 2s)</c>: the mean of the signal's samples over the window.</summary>
internal static class MeanFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("mean", FunctionArity.Exactly(2), "mean(signal, 2s)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call) => binder.BindWindow(call, WindowKind.Mean);
}

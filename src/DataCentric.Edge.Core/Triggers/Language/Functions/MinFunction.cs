namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>min(a, b, ...)</c>: the least of numbers or durations; <c>min(signal, 2s)</c>: the least sample of a window.</summary>
internal static class MinFunction
{
    private const string Signature = "min(a, b, ...) or min(signal, 2s)";

    public static FunctionDescriptor Descriptor { get; } = new("min", FunctionArity.AtLeast(2), Signature, Bind);

    private static Bound Bind(Binder binder, CallSyntax call) => binder.BindMinMax(call, WindowKind.Min, nameof(Math.Min), Signature);
}

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>max(a, b, ...)</c>: the greatest of numbers or durations; <c>max(signal, 2s)</c>: the greatest sample of a window.</summary>
internal static class MaxFunction
{
    private const string Signature = "max(a, b, ...) or max(signal, 2s)";

    public static FunctionDescriptor Descriptor { get; } = new("max", FunctionArity.AtLeast(2), Signature, Bind);

    private static Bound Bind(Binder binder, CallSyntax call) => binder.BindMinMax(call, WindowKind.Max, nameof(Math.Max), Signature);
}

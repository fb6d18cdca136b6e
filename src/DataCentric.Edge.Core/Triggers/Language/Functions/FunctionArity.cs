namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary>How many arguments a built-in function accepts.</summary>
/// <param name="Min">The fewest.</param>
/// <param name="Max">The most; <see langword="null"/> for no limit.</param>
internal readonly record struct FunctionArity(int Min, int? Max)
{
    public static FunctionArity Exactly(int count) => new(count, count);

    public static FunctionArity AtLeast(int count) => new(count, null);

    public static FunctionArity Between(int min, int max) => new(min, max);

    public bool Accepts(int count) => count >= Min && (Max is null || count <= Max);

    /// <summary>The error for a call with <paramref name="got"/> arguments. A bounded range names only its least count.</summary>
    public string Mismatch(string name, int got) => Max is null
        ? $"'{name}' takes at least {Min} arguments, got {got}"
        : $"'{name}' takes {Min} argument{(Min == 1 ? string.Empty : "s")}, got {got}";
}

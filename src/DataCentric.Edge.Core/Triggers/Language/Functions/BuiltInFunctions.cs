using System.Diagnostics.CodeAnalysis;

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary>
/// The trigger language's built-in functions: every one is a <see cref="FunctionDescriptor"/> in its
/// own file beside this one, registered by one line in <see cref="All"/>. An explicit list, not a
/// scan of the assembly, because the agent is published as Native AOT.
/// </summary>
internal static class BuiltInFunctions
{
    /// <summary>
    /// Every built-in function. Of two misspellings equally close to a name, the suggestion is the
    /// earlier one here, so a new function goes at the end.
    /// </summary>
    public static IReadOnlyList<FunctionDescriptor> All { get; } =
    [
        AbsFunction.Descriptor,
        MinFunction.Descriptor,
        MaxFunction.Descriptor,
        ClampFunction.Descriptor,
        HeldFunction.Descriptor,
        RoseFunction.Descriptor,
        FellFunction.Descriptor,
        SinceFunction.Descriptor,
        MeanFunction.Descriptor,
        DeltaFunction.Descriptor,
        DisagreeFunction.Descriptor,
        ClassMismatchFunction.Descriptor,
        IouMissFunction.Descriptor,
        NoveltyFunction.Descriptor,
        CountFunction.Descriptor,
        MaxScoreFunction.Descriptor,
    ];

    /// <summary>The names in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(f => f.Name)];

    /// <summary>What an unknown function's error expects instead: every name, sorted.</summary>
    public static string Expected { get; } = "one of " + string.Join(", ", Names.Order(StringComparer.Ordinal));

    // Throws on a name registered twice, so that mistake fails every test at once.
    private static readonly Dictionary<string, FunctionDescriptor> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static bool TryGet(string name, [NotNullWhen(true)] out FunctionDescriptor? function) => ByName.TryGetValue(name, out function);

    public static bool IsDefined(string name) => ByName.ContainsKey(name);
}

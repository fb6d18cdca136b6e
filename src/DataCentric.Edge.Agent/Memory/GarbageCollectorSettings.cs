using System.Globalization;

namespace DataCentric.Edge.Agent.Memory;

/// <summary>
/// The garbage collector's settings in effect, in words, from the collector's own report
/// (<see cref="GC.GetConfigurationVariables"/>): what the build set and what the unit's environment
/// changed. A unit value the runtime did not take (the Native AOT runtime ignores a "0x" prefix) shows
/// here as the default, not as what was written.
/// </summary>
internal static class GarbageCollectorSettings
{
    public static string Describe(IReadOnlyDictionary<string, object> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var parts = new List<string>
        {
            Flag(variables, "ServerGC") ? "server" : "workstation",
            Flag(variables, "ConcurrentGC") ? "concurrent" : "not concurrent",
            Number(variables, "GCConserveMem") is > 0 and var conserve ? $"conserve memory {conserve}" : "conserve memory off",
        };
        if (Number(variables, "GCGen0MaxBudget") is > 0 and var gen0)
        {
            parts.Add($"gen0 budget at most {MiB(gen0)}");
        }

        if (Number(variables, "LOHThreshold") is > 0 and var large)
        {
            parts.Add($"large objects from {MiB(large)}");
        }

        parts.Add(Number(variables, "GCHeapHardLimit") is > 0 and var limit ? $"heap hard limit {MiB(limit)}" : "no heap hard limit");
        parts.Add(Flag(variables, "RetainVM") ? "freed memory kept committed" : "freed memory given back");
        return string.Join(", ", parts);
    }

    private static bool Flag(IReadOnlyDictionary<string, object> variables, string name) =>
        variables.TryGetValue(name, out var value) && value is true;

    private static long Number(IReadOnlyDictionary<string, object> variables, string name) =>
        variables.TryGetValue(name, out var value) && value is IConvertible number ? number.ToInt64(CultureInfo.InvariantCulture) : 0;

    private static string MiB(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MiB");
}

using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Commands;

/// <summary><c>--target</c> of what edgectl signs (trigger sets, model releases): <c>device:&lt;id&gt;</c>, <c>group:&lt;name&gt;</c> or <c>fleet</c>.</summary>
internal static class TargetArgument
{
    public const string Description = "device:<id>, group:<name> or fleet";

    /// <exception cref="UsageException">The value is none of the three forms.</exception>
    public static TriggerSetTarget Parse(string value) => value switch
    {
        "fleet" => new TriggerSetTarget(TargetScope.Fleet, null),
        _ when value.StartsWith("device:", StringComparison.Ordinal) && value.Length > 7 => new TriggerSetTarget(TargetScope.Device, value[7..]),
        _ when value.StartsWith("group:", StringComparison.Ordinal) && value.Length > 6 => new TriggerSetTarget(TargetScope.Group, value[6..]),
        _ => throw new UsageException($"--target '{value}' is not {Description}"),
    };
}

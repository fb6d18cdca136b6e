using System.Reflection;
using System.Text.Json.Serialization;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Tests.Contracts;

/// <summary>The types of the MQTT contract, found by walking it (test-side reflection; the agent itself uses none).</summary>
internal static class ContractTypes
{
    /// <summary>Records in Core/Contracts that never go over MQTT: the in-process side of the contract.</summary>
    private static readonly HashSet<Type> InProcess =
        [typeof(ClipContent), typeof(Frame), typeof(ModelInfo), typeof(TriggerEvent), typeof(TriggerHit), typeof(RunningRelease), typeof(ModelStartupRollback)];

    /// <summary>The types <see cref="UplinkJsonContext"/> lists.</summary>
    public static IReadOnlyList<Type> ContextRoots { get; } =
        [.. typeof(UplinkJsonContext).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!)];

    /// <summary>Every public record in Core/Contracts except the in-process ones: what goes over MQTT.</summary>
    public static IReadOnlyList<Type> Records { get; } =
        [.. typeof(UplinkJsonContext).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == typeof(UplinkJsonContext).Namespace && t.GetMethod("<Clone>$") is not null && !InProcess.Contains(t))
            .OrderBy(t => t.FullName)];

    /// <summary><paramref name="roots"/> and every type they carry: generic arguments, array elements, and the public properties of ours.</summary>
    public static IReadOnlyList<Type> Reachable(IEnumerable<Type> roots)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!seen.Add(type))
            {
                continue;
            }

            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                pending.Push(argument);
            }

            if (type.IsArray)
            {
                pending.Push(type.GetElementType()!);
            }

            // Framework types (JsonElement, DateTimeOffset, …) have their own converters: walk ours only.
            foreach (var property in IsOurs(type) ? type.GetProperties(BindingFlags.Public | BindingFlags.Instance) : [])
            {
                if (property.GetCustomAttribute<JsonIgnoreAttribute>() is null)
                {
                    pending.Push(property.PropertyType);
                }
            }
        }

        return [.. seen.OrderBy(t => t.FullName, StringComparer.Ordinal)];
    }

    public static bool IsOurs(Type type) => type.Namespace?.StartsWith("DataCentric.", StringComparison.Ordinal) == true;
}

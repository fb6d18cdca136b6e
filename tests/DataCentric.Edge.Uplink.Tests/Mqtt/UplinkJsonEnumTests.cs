using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Tests.Mqtt;

/// <summary>
/// Every enum the MQTT contract carries is written as a camelCase string. The converters are
/// listed one per enum (the Native AOT agent cannot make them at run time), so a new enum that is
/// not listed would silently go out as a number; this walks the contract to catch it.
/// </summary>
public sealed class UplinkJsonEnumTests
{
    public static TheoryData<string> ContractEnums() => [.. EnumsOfContract().Select(t => t.FullName!)];

    [Theory]
    [MemberData(nameof(ContractEnums))]
    public void ContractEnum_IsWrittenAndReadAsCamelCaseString(string enumName)
    {
        var type = EnumsOfContract().Single(t => t.FullName == enumName);
        var info = UplinkJson.Options.GetTypeInfo(type);
        foreach (var value in Enum.GetValues(type))
        {
            var json = JsonSerializer.Serialize(value, info);
            var name = value.ToString()!;
            Assert.Equal($"\"{char.ToLowerInvariant(name[0])}{name[1..]}\"", json);
            Assert.Equal(value, JsonSerializer.Deserialize(json, info));
        }
    }

    [Fact]
    public void Contract_CarriesEnums()
    {
        // Guards the walk itself: the contract has at least the clip acknowledgement's status.
        Assert.Contains(EnumsOfContract(), t => t.Name == "ClipAckStatus");
    }

    private static List<Type> EnumsOfContract()
    {
        var roots = typeof(UplinkJsonContext).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!);
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
                pending.Push(property.PropertyType);
            }
        }

        return [.. seen.Where(t => t.IsEnum && IsOurs(t)).OrderBy(t => t.FullName)];
    }

    private static bool IsOurs(Type type) => type.Namespace?.StartsWith("DataCentric.", StringComparison.Ordinal) == true;
}

using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Tests.Contracts;

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

    private static List<Type> EnumsOfContract() =>
        [.. ContractTypes.Reachable([.. ContractTypes.ContextRoots, .. ContractTypes.Records]).Where(t => t.IsEnum && ContractTypes.IsOurs(t))];
}

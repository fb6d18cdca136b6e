using System.Text.Json;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Tests.Contracts;

/// <summary>
/// Forgetting to register a type in <see cref="UplinkJsonContext"/> fails here, not on a device:
/// every registered command's result, every contract record and every type they carry resolves
/// through <see cref="UplinkJson.Options"/> (the generated context alone, as in the trimmed agent),
/// and every enum among them is written and read as a camelCase string.
/// </summary>
[Trait("Category", "Unit")]
public sealed class UplinkJsonContractTests
{
    [Fact]
    public async Task EveryCommandResult_ResolvesThroughTheGeneratedContext_WithCamelCaseEnums()
    {
        using var dir = new TempDirectory();
        using var catalog = new LiteDbClipCatalog(dir.Combine("catalog.db"));
        await using var connection = new DeviceConnection(new UplinkOptions(), new BrokerEndpoint("127.0.0.1", 1), new FleetTopics("fleet1", "dev1"));

        var commands = DeviceCommandList.Create(new CommandDependencies(connection, catalog, new UploadRequests(), new CommandOptions(), TimeProvider.System));

        Assert.Contains(commands, c => c.Name == CommandNames.ListClips);
        var problems = commands.SelectMany(c => Problems(c.ResultType).Select(p => $"{c.Name}: {p}")).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    public static TheoryData<string> ContractRecords() => [.. ContractTypes.Records.Select(t => t.FullName!)];

    [Theory]
    [MemberData(nameof(ContractRecords))]
    public void ContractRecord_AndWhatItCarries_ResolveThroughTheGeneratedContext(string recordName)
    {
        var record = ContractTypes.Records.Single(t => t.FullName == recordName);

        var problems = Problems(record);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void ATypeMissingFromTheContext_OrAnEnumWithoutItsConverter_IsCaught()
    {
        // Guards the check itself: the same options without the enum converters write numbers.
        var withoutConverters = new JsonSerializerOptions(UplinkJson.Options);
        withoutConverters.Converters.Clear();

        Assert.Contains(Problems(typeof(NotInTheContract)), p => p.Contains("is not in UplinkJsonContext", StringComparison.Ordinal));
        Assert.Contains(Problems(typeof(ClipSummary), withoutConverters), p => p.Contains("CamelCaseEnumConverter<UploadState>", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"acknowledged\"")]
    [InlineData("\"Acknowledged\"")]
    [InlineData("2")]
    public void ClipSummary_FromThisAgentOrAnOlderOne_IsRead(string uploadState)
    {
        // Agents before the enum wrote uploadState as the C# name; edgectl still reads their replies.
        var json = $$"""{"clipId":"c","fileName":"c.mcap","sizeBytes":1,"priority":1,"triggerIds":[],"startWall":"2026-01-01T00:00:00Z","endWall":"2026-01-01T00:00:01Z","uploadState":{{uploadState}},"pinned":false}""";

        var clip = JsonSerializer.Deserialize(json, UplinkJson.TypeInfo<ClipSummary>())!;

        Assert.Equal(Core.Storage.UploadState.Acknowledged, clip.UploadState);
    }

    /// <summary>What is wrong with <paramref name="root"/> and every type it carries, as the contract writes them.</summary>
    private static List<string> Problems(Type root, JsonSerializerOptions? options = null)
    {
        options ??= UplinkJson.Options;
        var problems = new List<string>();
        foreach (var type in ContractTypes.Reachable([root]))
        {
            if (!options.TryGetTypeInfo(type, out var info))
            {
                problems.Add($"{type} is not in UplinkJsonContext: add [JsonSerializable(typeof({type.Name}))]");
                continue;
            }

            if (!type.IsEnum || !ContractTypes.IsOurs(type))
            {
                continue;
            }

            foreach (var value in Enum.GetValues(type))
            {
                var name = value.ToString()!;
                var expected = $"\"{char.ToLowerInvariant(name[0])}{name[1..]}\"";
                var json = JsonSerializer.Serialize(value, info);
                if (json != expected || !Equals(JsonSerializer.Deserialize(json, info), value))
                {
                    problems.Add($"{type}.{name} is written {json}, not {expected}: add CamelCaseEnumConverter<{type.Name}> to UplinkJson");
                }
            }
        }

        return problems;
    }

    private sealed record NotInTheContract(string Name);
}

using System.Text.Json;
using System.Text.RegularExpressions;
using DataCentric.Edge.TestKit.Broker;

namespace DataCentric.Edge.Cli.Tests.Drives;

/// <summary>
/// Every example trigger set in firmware-config/triggers runs on a drive the agent recorded and
/// reports each of its triggers: what a fleet manager does first with a new board.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RecordedDriveCollection.Name)]
public sealed partial class ExampleSetsOnARecordedDriveTests(RecordedDriveFixture fixture)
{
    public static TheoryData<string> Examples()
    {
        var folder = Path.GetDirectoryName(RepositoryFiles.Path("firmware-config", "triggers", "README.md"))!;
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(folder, "*.yaml").Concat(Directory.GetFiles(folder, "*.yml")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void TheExamplesFolder_HoldsTheSevenSets()
    {
        Assert.Equal(7, Examples().Count);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_RunsOnTheRecordedDrive_AndReportsEachOfItsTriggers(string example)
    {
        var path = RepositoryFiles.Path("firmware-config", "triggers", example);

        var (exit, output, error) = await Edgectl.RunAsync("triggers", "test", path, "--drive", fixture.DrivePath, "--json");

        Assert.True(exit == 0, $"{example} did not run on the agent's drive: {error}");
        using var json = JsonDocument.Parse(output);
        var reported = json.RootElement.GetProperty("triggers").EnumerateArray().ToDictionary(t => t.GetProperty("triggerId").GetString()!);
        var declared = TriggerId().Matches(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(declared);
        Assert.Equal(declared.Order(StringComparer.Ordinal), reported.Keys.Order(StringComparer.Ordinal));
        Assert.True(json.RootElement.GetProperty("durationSeconds").GetDouble() > 0);
        Assert.All(reported.Values, t =>
        {
            // Each fire is listed with its time inside the drive, and fires/h follows from them.
            var fires = t.GetProperty("fires").GetInt64();
            Assert.Equal(fires, t.GetProperty("fireTimes").GetArrayLength());
            Assert.All(t.GetProperty("fireTimes").EnumerateArray(), f => Assert.InRange(f.GetProperty("seconds").GetDouble(), 0, json.RootElement.GetProperty("durationSeconds").GetDouble()));
        });
    }

    [GeneratedRegex(@"^\s*-\s*id:\s*([^\s#]+)", RegexOptions.Multiline)]
    private static partial Regex TriggerId();
}

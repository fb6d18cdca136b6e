using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Cli.Tests;

[Trait("Category", "Integration")]
public sealed class TriggersTestCommandTests : IDisposable
{
    private const string MissedObstacleSet = """
        schemaVersion: 1
        version: 1
        triggers:
          - id: missed-obstacle
            when: held(shadow.obstacle > 0.5 and not primary.brake, 200ms)
            pre: 2s
            post: 1s
            cooldown: 3s
        """;

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Test_ReportsFiresAndRecallAgainstTheDrivesGroundTruth()
    {
        var drive = TestDrives.Write(TestDrives.MissedObstacleDrive(), _dir.Combine("drive.mcap"));
        var set = Write("set.yaml", MissedObstacleSet);

        var (exit, output, _) = await RunAsync("triggers", "test", set, "--drive", drive);

        Assert.Equal(0, exit);
        var row = output.Split('\n').Single(l => l.StartsWith("missed-obstacle", StringComparison.Ordinal));
        Assert.Equal(["missed-obstacle", "1", "180.0"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);
        Assert.Contains("100 %", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_WithJson_PrintsTheReportForScripts()
    {
        var drive = TestDrives.Write(TestDrives.MissedObstacleDrive(), _dir.Combine("drive.mcap"));

        var (exit, output, _) = await RunAsync("triggers", "test", Write("set.yaml", MissedObstacleSet), "--drive", drive, "--json");

        Assert.Equal(0, exit);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var trigger = json.RootElement.GetProperty("triggers")[0];
        Assert.Equal(1, trigger.GetProperty("fires").GetInt64());
        Assert.Equal(1.0, trigger.GetProperty("recall").GetDouble());
    }

    [Fact]
    public async Task Test_SetNamingAnUnknownSignal_FailsWithPositionAndSuggestion()
    {
        var drive = TestDrives.Write(TestDrives.MissedObstacleDrive(), _dir.Combine("drive.mcap"));
        var set = Write("bad.yaml", MissedObstacleSet.Replace("primary.brake", "primary.brak", StringComparison.Ordinal));

        var (exit, _, error) = await RunAsync("triggers", "test", set, "--drive", drive);

        Assert.Equal(2, exit);
        Assert.Contains("bad.yaml(5,", error, StringComparison.Ordinal);
        Assert.Contains("did you mean 'primary.brake'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_DriveThatIsNotMcap_FailsSayingSo()
    {
        var (exit, _, error) = await RunAsync("triggers", "test", Write("set.yaml", MissedObstacleSet), "--drive", Write("drive.mcap", "garbage"));

        Assert.Equal(2, exit);
        Assert.Contains("not MCAP", error, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        File.WriteAllText(_dir.Combine(name), text);
        return _dir.Combine(name);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await EdgectlApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose() => _dir.Dispose();
}

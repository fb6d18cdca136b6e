using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;

namespace DataCentric.Edge.Cli.Tests.Triggers;

/// <summary>
/// Every example set (firmware-config/triggers and the demo's own) checked with
/// <c>edgectl triggers validate --board</c> against every board's shipped configuration, and the
/// signals each one lacks on each board stated here: renaming a signal in a board config or an
/// example breaks a row. firmware-config/triggers/README.md says the same in words.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class ExampleSetsFitTheBoardsTests
{
    private static readonly string[] Boards = ["raspberry-pi-4", "raspberry-pi-5", "jetson-orin-nano", "generic-x64", "demo"];

    /// <summary>Example → board → the signals it reads that the board does not publish (empty: it fits).</summary>
    private static readonly Dictionary<string, Dictionary<string, string[]>> Expected = new()
    {
        ["demo/triggers.yaml"] = AllBoards([]),
        ["triggers/missed-obstacle.yaml"] = AllBoards([], demo: ["primary.speed"]),
        ["triggers/phantom-brake.yaml"] = AllBoards([], demo: ["primary.speed"]),
        ["triggers/driver-intervention.yaml"] = new()
        {
            ["raspberry-pi-4"] = [],
            ["raspberry-pi-5"] = [],
            ["jetson-orin-nano"] = [],
            ["generic-x64"] = ["driver.override_button"],
            ["demo"] = ["driver.override_button", "primary.engaged"],
        },

        // These need a shadow model no board ships: a steering regressor, a detector, an embedder.
        ["triggers/steering-disagreement.yaml"] = AllBoards(["shadow.steer"], demo: ["primary.speed", "shadow.steer"]),
        ["triggers/detection-flicker.yaml"] = AllBoards(["shadow.boxes"]),
        ["triggers/low-confidence.yaml"] = AllBoards(["shadow.boxes"]),
        ["triggers/novelty.yaml"] = AllBoards(["shadow.embedding"]),
    };

    public static TheoryData<string, string> Pairs =>
        [.. Expected.SelectMany(e => e.Value.Keys.Select(board => (e.Key, board)))];

    [Fact]
    public void TheTable_CoversEveryExampleAndEveryBoard()
    {
        var firmwareConfig = Path.GetDirectoryName(RepositoryFiles.Path("firmware-config", "agent-config.schema.json"))!;
        var examples = Directory.GetFiles(Path.Combine(firmwareConfig, "triggers"), "*.yaml")
            .Select(f => "triggers/" + Path.GetFileName(f)).Append("demo/triggers.yaml");
        var boards = Directory.GetDirectories(firmwareConfig)
            .Where(d => Directory.GetFiles(d, "appsettings.*.json").Length == 1).Select(d => Path.GetFileName(d)).Append("demo");

        Assert.Equal(examples.Order(StringComparer.Ordinal), Expected.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(boards.Order(StringComparer.Ordinal), Boards.Order(StringComparer.Ordinal));
        Assert.All(Expected.Values, row => Assert.Equal(Boards.Order(StringComparer.Ordinal), row.Keys.Order(StringComparer.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Example_OnBoard_LacksExactlyTheStatedSignals(string example, string board)
    {
        var missing = Expected[example][board];

        var (exit, output, error) = await Edgectl.RunAsync("triggers", "validate", Example(example), "--board", board);

        if (missing.Length == 0)
        {
            Assert.True(exit == 0, error);
            Assert.Contains(": valid, version", output, StringComparison.Ordinal);
            Assert.Empty(error);
        }
        else
        {
            Assert.Equal(EdgectlApp.UsageError, exit);
            Assert.Equal(missing, UnknownSignals(error));
        }
    }

    /// <summary>The shadow models the README tells how to add make the model examples fit a board.</summary>
    [Theory]
    [InlineData("triggers/steering-disagreement.yaml")]
    [InlineData("triggers/detection-flicker.yaml")]
    [InlineData("triggers/low-confidence.yaml")]
    [InlineData("triggers/novelty.yaml")]
    public async Task ModelExample_FitsABoard_WithTheModelsTheReadmeAdds(string example)
    {
        using var dir = new TempDirectory();
        var config = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.Path("firmware-config", "raspberry-pi-5", "appsettings.RaspberryPi5.json"), TestContext.Current.CancellationToken))!;
        var models = config["Inference"]!["Models"]!.AsArray();
        models.Add(JsonNode.Parse("""{ "Name": "steering", "ModelPath": "models/steering.onnx", "Input": { "Name": "image" }, "Output": { "Kind": "Regression", "Scalars": { "steer": "shadow.steer" } } }"""));
        models.Add(JsonNode.Parse("""{ "Name": "vehicle-detector", "ModelPath": "models/vehicle-detector.onnx", "Input": { "Name": "images" }, "Output": { "Kind": "Detection", "Tensor": "output0" } }"""));
        models.Add(JsonNode.Parse("""{ "Name": "scene-embedding", "ModelPath": "models/scene-embedding.onnx", "Input": { "Name": "image" }, "Output": { "Kind": "Embedding", "Tensor": "embedding" } }"""));
        var path = dir.Combine("agent.json");
        await File.WriteAllTextAsync(path, config.ToJsonString(), TestContext.Current.CancellationToken);

        var (exit, output, error) = await Edgectl.RunAsync("triggers", "validate", Example(example), "--config", path);

        Assert.True(exit == 0, error);
        Assert.Contains(": valid, version", output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string[]> AllBoards(string[] missing, string[]? demo = null) =>
        Boards.ToDictionary(b => b, b => b == "demo" ? demo ?? missing : missing);

    private static string Example(string relative) => RepositoryFiles.Path(["firmware-config", .. relative.Split('/')]);

    private static string[] UnknownSignals(string error) =>
        [.. UnknownSignal().Matches(error).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"unknown signal '([^']+)'|the vector signal '([^']+)', which is not known")]
    private static partial Regex UnknownSignal();
}

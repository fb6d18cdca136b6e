using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Cli.Commands.Backtest;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Triggers.Backtest;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;

namespace DataCentric.Edge.Cli.Tests.Drives;

/// <summary>
/// <c>edgectl triggers test</c> on a drive the agent recorded with frames: measured clip size, fire
/// times and suppressions, several drives, two sets side by side, a replay through a model, and
/// the inputs it must refuse.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RecordedDriveCollection.Name)]
public sealed class DriveBacktestTests(RecordedDriveFixture fixture) : IDisposable
{
    private const string OverrideSet = """
        schemaVersion: 1
        version: 1
        triggers:
          - id: override
            when: rose(driver.override_button)
            pre: 2s
            post: 1s
            cooldown: 0s
        """;

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Test_FiresOnEveryPressInTheDrive_AtTheDrivesMeasuredClipSize()
    {
        var (exit, output, error) = await Edgectl.RunAsync("triggers", "test", Write("a.yaml", OverrideSet), "--drive", fixture.DrivePath, "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var measured = double.Parse(fixture.Content.Metadata[DriveMetadataKeys.ClipBytesPerSecond], CultureInfo.InvariantCulture);
        var drive = json.RootElement.GetProperty("drives")[0];
        Assert.Equal(measured, drive.GetProperty("clipBytesPerSecond").GetDouble());
        Assert.Equal("measured while recording", drive.GetProperty("clipBytesSource").GetString());

        var trigger = json.RootElement.GetProperty("triggers")[0];
        var presses = RisingEdges("driver.override_button");
        Assert.True(presses >= 2, $"{presses} presses in the drive");
        Assert.Equal(presses, trigger.GetProperty("fires").GetInt64());
        Assert.Equal(presses, trigger.GetProperty("fireTimes").GetArrayLength());

        // MB/h = fires/h × (pre + post) × the drive's measured bytes per second, not the fixed 1.5 MB/s.
        var perHour = trigger.GetProperty("firesPerHour").GetDouble();
        Assert.Equal(perHour * 3 * Math.Round(measured), trigger.GetProperty("estimatedClipBytesPerHour").GetDouble(), 0.001);
        Assert.NotEqual(BacktestDrive.FixedClipBytesPerSecond, measured);
    }

    [Fact]
    public async Task Test_PrintsFireTimes_SuppressionCounts_AndWarnsThatAShortDriveIsExtrapolated()
    {
        var set = Write("cooldown.yaml", OverrideSet.Replace("cooldown: 0s", "cooldown: 5s", StringComparison.Ordinal));

        var (exit, output, error) = await Edgectl.RunAsync("triggers", "test", set, "--drive", fixture.DrivePath);

        Assert.True(exit == 0, error);
        Assert.Contains("less than 30 min): record longer drives before trusting them", output, StringComparison.Ordinal);
        var row = output.Split('\n').First(l => l.StartsWith("override ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var fires = long.Parse(row[1], CultureInfo.InvariantCulture);
        var suppressedByCooldown = long.Parse(row[^4], CultureInfo.InvariantCulture);

        // Presses come every 4 s: with a 5 s cooldown every press either fires or is suppressed, some of each.
        Assert.Equal(RisingEdges("driver.override_button"), fires + suppressedByCooldown);
        Assert.True(suppressedByCooldown > 0, string.Join(' ', row));
        var times = output.Split('\n').Single(l => l.StartsWith("  override: ", StringComparison.Ordinal));
        Assert.Equal(fires, times["  override: ".Length..].Split(", ").Length);
    }

    [Fact]
    public async Task Test_TwoSets_AreComparedSideBySide_EitherAsTwoArgumentsOrWithCompare()
    {
        var a = Write("eager.yaml", OverrideSet);
        var b = Write("calm.yaml", OverrideSet.Replace("cooldown: 0s", "cooldown: 5s", StringComparison.Ordinal));

        var (exit, output, error) = await Edgectl.RunAsync("triggers", "test", a, b, "--drive", fixture.DrivePath);
        var (compareExit, compareOutput, _) = await Edgectl.RunAsync("triggers", "test", a, "--compare", b, "--drive", fixture.DrivePath);

        Assert.True(exit == 0, error);
        Assert.Equal(0, compareExit);
        Assert.Equal(output, compareOutput);
        Assert.Contains("A = eager.yaml, B = calm.yaml:", output, StringComparison.Ordinal);
        var lines = output.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("A = ", StringComparison.Ordinal));
        var row = lines[header + 2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("override", row[0]);
        var (firesA, firesB) = (long.Parse(row[1], CultureInfo.InvariantCulture), long.Parse(row[2], CultureInfo.InvariantCulture));
        Assert.Equal(RisingEdges("driver.override_button"), firesA);
        Assert.True(firesB < firesA, string.Join(' ', row));
        Assert.Equal(firesA - firesB, long.Parse(row[^1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Test_SeveralDrives_AreAggregated_AndReportedOneByOne()
    {
        var copy = _dir.Combine("second.mcap");
        File.Copy(fixture.DrivePath, copy);

        var (single, _, _) = await Edgectl.RunAsync("triggers", "test", Write("a.yaml", OverrideSet), "--drive", fixture.DrivePath, "--json");
        var (exit, output, error) = await Edgectl.RunAsync("triggers", "test", Write("a.yaml", OverrideSet), "--drive", fixture.DrivePath, "--drive", copy, "--json");
        var (_, text, _) = await Edgectl.RunAsync("triggers", "test", Write("a.yaml", OverrideSet), "--drive", fixture.DrivePath, copy);

        Assert.Equal(0, single);
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var presses = RisingEdges("driver.override_button");
        Assert.Equal(2 * presses, json.RootElement.GetProperty("triggers")[0].GetProperty("fires").GetInt64());
        var perDrive = json.RootElement.GetProperty("sets")[0].GetProperty("perDrive");
        Assert.Equal([Path.GetFileName(fixture.DrivePath), "second.mcap"], perDrive.EnumerateArray().Select(d => d.GetProperty("drive").GetString()));
        Assert.All(perDrive.EnumerateArray(), d => Assert.Equal(presses, d.GetProperty("triggers")[0].GetProperty("fires").GetInt64()));
        Assert.Contains("a.yaml, all 2 drives:", text, StringComparison.Ordinal);
        Assert.Contains("a.yaml on second.mcap:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_WithModel_ReplaysTheFramesThroughIt_AndTheAgentsOwnModelGivesTheRecordedValues()
    {
        var model = new FileInfo(Path.Combine(AppContext.BaseDirectory, "models", "obstacle-detector.onnx"));
        RecordedDrive drive;
        await using (var file = File.OpenRead(fixture.DrivePath))
        {
            drive = RecordedDrive.Load(file);
        }

        var progress = new StringWriter();
        var replayed = ModelReplay.Run("drive", drive, drive.Samples, model, null, new ReplayProgress(progress, interactive: false, "replay"));

        // Every frame was run (not only those the agent had time for), each at its frame's time.
        var frames = fixture.Content.Frames;
        var outputs = replayed.Where(s => s.Signal == "shadow.obstacle").ToList();
        Assert.Equal(frames.Select(f => f.Time).Order(), outputs.Select(s => s.Time));

        // Where the agent ran the model on a frame, the replay computes the same value.
        var recorded = drive.Samples.Where(s => s.Signal == "shadow.obstacle").ToLookup(s => s.Time);
        var compared = outputs.Where(o => recorded.Contains(o.Time)).ToList();
        Assert.True(compared.Count > frames.Count / 2, $"{compared.Count} of {frames.Count} frames were inferred by the agent");
        Assert.All(compared, o => Assert.Equal(recorded[o.Time].First().Value.Number, o.Value.Number, 1e-5));

        // Other signals are kept as recorded; progress went out as plain lines ending at 100 %.
        Assert.Equal(drive.Samples.Count(s => s.Signal == "primary.brake"), replayed.Count(s => s.Signal == "primary.brake"));
        Assert.EndsWith($"{frames.Count}/{frames.Count} frames (100%)", progress.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Split(',')[0], StringComparison.Ordinal);
        Assert.DoesNotContain('\r', progress.ToString());
    }

    [Fact]
    public async Task Test_WithModel_RunsTheSetOnTheModelsOutputs_WithProgressLines()
    {
        var set = Write("obstacle.yaml", """
            schemaVersion: 1
            version: 1
            triggers:
              - id: obstacle
                when: shadow.obstacle > 0.5
                pre: 1s
                post: 1s
            """);
        var model = Path.Combine(AppContext.BaseDirectory, "models", "obstacle-detector.onnx");

        var (exit, output, error) = await Edgectl.RunAsync("triggers", "test", set, "--drive", fixture.DrivePath, "--model", model);

        Assert.True(exit == 0, error);
        Assert.Contains($"through obstacle-detector.onnx: {fixture.Content.Frames.Count}/{fixture.Content.Frames.Count} frames (100%)", error, StringComparison.Ordinal);
        Assert.Contains("obstacle ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_WithAModelWhoseInputDoesNotFitTheDrivesFrames_FailsNamingModelAndDrive()
    {
        var model = RepositoryFiles.Path("firmware-config", "models", "test-uint8-nhwc.onnx");

        var (exit, output, error) = await Edgectl.RunAsync("triggers", "test", Write("a.yaml", OverrideSet), "--drive", fixture.DrivePath, "--model", model);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains($"model {model} does not fit drive {Path.GetFileName(fixture.DrivePath)}", error, StringComparison.Ordinal);
        Assert.Contains("no input named 'image' (Input:Name); the model has pixels", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_WithModel_OnADriveWithoutFrames_SaysToRecordWithFrames()
    {
        var drive = TestDrives.Write(TestDrives.MissedObstacleDrive(), _dir.Combine("no-frames.mcap"));
        var model = Path.Combine(AppContext.BaseDirectory, "models", "obstacle-detector.onnx");

        var (exit, _, error) = await Edgectl.RunAsync("triggers", "test", Write("a.yaml", "schemaVersion: 1\nversion: 1\ntriggers: []\n"), "--drive", drive, "--model", model);

        Assert.Equal(2, exit);
        Assert.Contains("drive no-frames.mcap has no frames, so --model has nothing to run on: record it with frames", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_OnATruncatedDrive_NamesTheFileAndWhere()
    {
        var bytes = await File.ReadAllBytesAsync(fixture.DrivePath, TestContext.Current.CancellationToken);
        var truncated = _dir.Combine("truncated.mcap");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)], TestContext.Current.CancellationToken);

        var (exit, output, error) = await Edgectl.RunAsync("triggers", "test", Write("a.yaml", OverrideSet), "--drive", fixture.DrivePath, "--drive", truncated);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains($"drive {truncated}: Invalid MCAP file at byte offset", error, StringComparison.Ordinal);
        Assert.Contains("truncated", error, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>False→true changes of a bool signal in the recorded drive: how often a rose() trigger on it must fire.</summary>
    private long RisingEdges(string signal)
    {
        var previous = true;
        long edges = 0;
        foreach (var sample in fixture.Content.Signals.Where(s => s.Name == signal).OrderBy(s => s.Sample.Time))
        {
            var value = sample.Sample.Value.AsBool;
            edges += value && !previous ? 1 : 0;
            previous = value;
        }

        return edges;
    }

    private string Write(string name, string text)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }
}

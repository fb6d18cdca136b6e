using System.Text.Json;
using DataCentric.Edge.Agent;
using DataCentric.Edge.Cli.Commands;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Cli.Tests.Triggers;

/// <summary>
/// <c>edgectl triggers signals|validate|sign|test --config FILE | --board NAME</c>: a set is checked
/// against the signals the device really publishes; without either, unknown signals are warnings.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TriggersAgainstADeviceTests : IDisposable
{
    private const string Set = """
        schemaVersion: 1
        version: 3
        triggers:
          - id: missed-obstacle
            when: held(shadow.obstacle > 0.5 and not primary.brake, 200ms) and primary.speed > 1
            pre: 2s
            post: 1s
        """;

    private readonly TempDirectory _dir = new("dce-cli-device-signals");

    [Fact]
    public async Task Signals_OfABoard_AreWhatItsSourcesAndModelsRegister()
    {
        var (exit, output, error) = await Edgectl.RunAsync("triggers", "signals", "--board", "raspberry-pi-5", "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var signals = json.RootElement.EnumerateArray().Select(s => $"{s.GetProperty("name").GetString()}:{s.GetProperty("kind").GetString()}");
        Assert.Equal(
            [
                "driver.brake_pedal:bool", "driver.override_button:bool",
                "imu.accel_x:number", "imu.accel_y:number", "imu.accel_z:number", "imu.gyro_x:number", "imu.gyro_y:number", "imu.gyro_z:number",
                "primary.brake:bool", "primary.engaged:bool", "primary.speed:number", "primary.steer:number",
                "shadow.obstacle:number",
            ],
            signals);
    }

    [Fact]
    public async Task Signals_OfTheDemo_AreTheSimulatedControllersAndTheModels()
    {
        var (exit, output, error) = await Edgectl.RunAsync("triggers", "signals", "--board", "demo");

        Assert.True(exit == 0, error);
        foreach (var signal in new[] { "primary.brake", "primary.steer", "truth.primary_missed", "shadow.obstacle" })
        {
            Assert.Matches($@"(?m)^{signal.Replace(".", @"\.", StringComparison.Ordinal)}\s+(bool|number)$", output);
        }
    }

    [Theory]
    [InlineData("raspberry-pi-4", "appsettings.RaspberryPi4.json")]
    [InlineData("jetson-orin-nano", "appsettings.JetsonOrinNano.json")]
    [InlineData("generic-x64", "appsettings.GenericX64.json")]
    public async Task ConfigFile_IsLayeredOverTheAgentsDefaults_AsTheAgentLayersIt(string board, string file)
    {
        var path = RepositoryFiles.Path("firmware-config", board, file);
        var agent = AgentHost.BuildConfiguration(new AgentCommandLine(AgentMode.Run, TimeSpan.FromSeconds(1), "out", path, null));
        var edgectl = AgentConfigFile.Load(path, demo: false, out _);

        Assert.Equal(Flatten(agent, "Sources", "Inference"), Flatten(edgectl, "Sources", "Inference"));
        var fromConfig = await Edgectl.RunAsync("triggers", "signals", "--config", path, "--json");
        var fromBoard = await Edgectl.RunAsync("triggers", "signals", "--board", board, "--json");
        Assert.True(fromConfig.Exit == 0, fromConfig.Error);
        Assert.Equal(fromBoard.Output, fromConfig.Output);
    }

    [Fact]
    public async Task Validate_AgainstABoard_ATypo_IsAnErrorWithPositionAndSuggestion()
    {
        var set = Write("typo.yaml", Set.Replace("primary.brake", "primary.brakes", StringComparison.Ordinal).Replace("primary.speed", "vehicle.speed", StringComparison.Ordinal));

        var (exit, _, error) = await Edgectl.RunAsync("triggers", "validate", set, "--board", "raspberry-pi-5");

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains("typo.yaml(5,46) trigger 'missed-obstacle' when [expression 1:36]: unknown signal 'primary.brakes'; expected a known signal name; did you mean 'primary.brake'?", error, StringComparison.Ordinal);
        Assert.Contains("unknown signal 'vehicle.speed'", error, StringComparison.Ordinal);
        Assert.Contains("2 error(s)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_WithNoDevice_UnknownSignalsAreWarnings_AndTheExitIsZero()
    {
        var (exit, output, error) = await Edgectl.RunAsync("triggers", "validate", Write("set.yaml", Set));

        Assert.True(exit == 0, error);
        Assert.Contains("set.yaml: valid apart from 3 unknown signal reference(s), version 3", output, StringComparison.Ordinal);
        Assert.Contains("warning: set.yaml(5,16) trigger 'missed-obstacle' when [expression 1:6]: unknown signal 'shadow.obstacle'", error, StringComparison.Ordinal);
        Assert.Contains("no device's signals to check shadow.obstacle, primary.brake, primary.speed against", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_WithNoDevice_OtherErrorsStillFail()
    {
        var set = Write("bad.yaml", Set.Replace("pre: 2s", "pre: soon", StringComparison.Ordinal));

        var (exit, _, error) = await Edgectl.RunAsync("triggers", "validate", set);

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains("bad.yaml(6,10) trigger 'missed-obstacle' pre: 'soon' is not a duration", error, StringComparison.Ordinal);
        Assert.Contains("1 error(s)", error, StringComparison.Ordinal);
        Assert.Contains("warning: bad.yaml", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownBoard_ListsTheKnownOnes_AndTheClosest()
    {
        var (exit, _, error) = await Edgectl.RunAsync("triggers", "validate", Write("set.yaml", Set), "--board", "raspbery-pi-5");

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains("--board 'raspbery-pi-5' is not a board of", error, StringComparison.Ordinal);
        Assert.Contains("known boards: demo, generic-x64, jetson-orin-nano, raspberry-pi-4, raspberry-pi-5; did you mean 'raspberry-pi-5'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingConfig_IsNamed()
    {
        var absent = _dir.Combine("absent.json");

        var (exit, _, error) = await Edgectl.RunAsync("triggers", "validate", Write("set.yaml", Set), "--config", absent);

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains($"{absent}: no such file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedConfig_SaysLineAndColumn()
    {
        var config = Write("agent.json", "{\n  \"Sources\": {\n    \"Controller\": { \"Kind\": \"Udp\",, }\n  }\n}");

        var (exit, _, error) = await Edgectl.RunAsync("triggers", "validate", Write("set.yaml", Set), "--config", config);

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains($"{config}:3:35: not valid JSON: ',' is an invalid start of a property name", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidConfig_EveryErrorAtItsKey()
    {
        var config = Write("agent.json", """
            {
              "Sources": {
                "Controller": { "Kind": "Udp", "Signal": { "brake": "Bool" } }
              }
            }
            """);

        var (exit, _, error) = await Edgectl.RunAsync("triggers", "validate", Write("set.yaml", Set), "--config", config);

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains($"{config} is not a valid agent configuration (1 error(s))", error, StringComparison.Ordinal);
        Assert.Contains($"{config}:3:36: Sources:Controller:Signal: unknown key; did you mean 'Signals'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigAndBoardTogether_AreRefused()
    {
        var (exit, _, error) = await Edgectl.RunAsync("triggers", "validate", Write("set.yaml", Set), "--board", "demo", "--config", "x.json");

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains("--config and --board cannot be used together", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_AgainstABoard_RefusesASetItCannotRun_AndSignsOneItCan()
    {
        Assert.Equal(0, (await Edgectl.RunAsync("keys", "new", "--out", _dir.Combine("fleet"))).Exit);
        string[] sign = ["--key", _dir.Combine("fleet.key"), "--target", "fleet", "--fleet", "f1"];

        var refused = await Edgectl.RunAsync(["triggers", "sign", Write("set.yaml", Set), "--board", "demo", "--out", _dir.Combine("a.json"), .. sign]);
        var signed = await Edgectl.RunAsync(["triggers", "sign", Write("set.yaml", Set), "--board", "raspberry-pi-5", "--out", _dir.Combine("b.json"), .. sign]);
        var warned = await Edgectl.RunAsync(["triggers", "sign", Write("set.yaml", Set), "--out", _dir.Combine("c.json"), .. sign]);

        Assert.Equal(EdgectlApp.UsageError, refused.Exit);
        Assert.Contains("set.yaml is not valid: (5,", refused.Error, StringComparison.Ordinal);
        Assert.Contains("unknown signal 'primary.speed'", refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.Combine("a.json")));
        Assert.True(signed.Exit == 0, signed.Error);
        Assert.True(File.Exists(_dir.Combine("b.json")));
        Assert.True(warned.Exit == 0, warned.Error);
        Assert.Contains("warning: set.yaml", warned.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_AgainstABoard_ASetTheDriveRunsButTheBoardCannot_IsRefused()
    {
        var drive = TestDrives.Write(TestDrives.MissedObstacleDrive(), _dir.Combine("drive.mcap"));
        var set = Write("set.yaml", Set.Replace(" and primary.speed > 1", " or truth.primary_missed", StringComparison.Ordinal));

        var onDrive = await Edgectl.RunAsync("triggers", "test", set, "--drive", drive);
        var onBoard = await Edgectl.RunAsync("triggers", "test", set, "--drive", drive, "--board", "raspberry-pi-5");

        Assert.True(onDrive.Exit == 0, onDrive.Error);
        Assert.Equal(EdgectlApp.UsageError, onBoard.Exit);
        Assert.Contains("set.yaml is not valid against the signals of board raspberry-pi-5", onBoard.Error, StringComparison.Ordinal);
        Assert.Contains("unknown signal 'truth.primary_missed'", onBoard.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static List<string> Flatten(IConfiguration configuration, params string[] sections) =>
        [.. sections.SelectMany(s => configuration.GetSection(s).AsEnumerable()).Select(p => $"{p.Key}={p.Value}").Order(StringComparer.Ordinal)];

    private string Write(string name, string text)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }
}

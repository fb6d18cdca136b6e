using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Cli.Tests;

/// <summary><c>edgectl config validate</c> runs the agent's start-up check offline.</summary>
[Trait("Category", "Unit")]
public sealed class ConfigCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("dce-cli-config");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    [Theory]
    [InlineData("raspberry-pi-4/appsettings.RaspberryPi4.json")]
    [InlineData("raspberry-pi-5/appsettings.RaspberryPi5.json")]
    [InlineData("jetson-orin-nano/appsettings.JetsonOrinNano.json")]
    [InlineData("generic-x64/appsettings.GenericX64.json")]
    public async Task ShippedBoardConfig_IsValid(string relativePath)
    {
        var path = Path.Combine(RepositoryRoot(), "firmware-config", relativePath);

        var exit = await RunAsync("config", "validate", path);

        Assert.True(exit == 0, _error.ToString());
        Assert.Contains(": valid", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownKeyAndBadValues_AreAllNamed_ExitTwo()
    {
        var path = Write("""
            {
              "Board": { "Id": "raspberry-pi-3", "CameraDevise": "/dev/video0" },
              "Uplink": { "Port": 70000 },
              "Health": { "MetricsHost": "0.0.0.0" }
            }
            """);

        var exit = await RunAsync("config", "validate", path);

        Assert.Equal(2, exit);
        var error = _error.ToString();
        Assert.Contains("CameraDevise", error, StringComparison.Ordinal);
        Assert.Contains("Uplink:Port", error, StringComparison.Ordinal);
        Assert.Contains("Health:MetricsHost", error, StringComparison.Ordinal);
        Assert.Contains("error(s)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownSection_IsNamed()
    {
        var exit = await RunAsync("config", "validate", Write("""{ "Healt": { "MetricsEnabled": true } }"""));

        Assert.Equal(2, exit);
        Assert.Contains(":1:3: Healt: unknown configuration section; did you mean 'Health'?", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedJson_SaysWhereInTheFile()
    {
        var path = Write("{\n  \"Agent\": {\n    \"Fleet\": \"a\",,\n  }\n}");

        var exit = await RunAsync("config", "validate", path);

        Assert.Equal(2, exit);
        Assert.Contains($"{path}:3:18: not valid JSON: ',' is an invalid start of a property name", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownKeysAndSections_HaveLineColumnAndTheClosestKnownName()
    {
        var path = Write("""
            {
              "Uplink": { "Hots": "broker.local" },
              "Sources": {
                "Controler": { "Kind": "Udp" },
                "Gpio": { "Inputs": [ { "Pin": 17, "Signall": "driver.brake_pedal" } ] }
              },
              "Healt": { "MetricsEnabled": true }
            }
            """);

        var exit = await RunAsync("config", "validate", path);

        Assert.Equal(2, exit);
        Assert.Equal(
            [
                $"{path}: 4 error(s):",
                $"  {path}:2:15: Uplink:Hots: unknown key; did you mean 'Host'?",
                $"  {path}:4:5: Sources:Controler: unknown key; did you mean 'Controller'?",
                $"  {path}:5:40: Sources:Gpio:Inputs:0:Signall: unknown key; did you mean 'Signal'?",
                $"  {path}:7:3: Healt: unknown configuration section; did you mean 'Health'?",
            ],
            _error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
    }

    [Fact]
    public async Task ValueErrors_AreAtTheirKey()
    {
        var path = Write("{\n  \"Uplink\": {\n    \"Port\": 70000\n  }\n}");

        var exit = await RunAsync("config", "validate", path);

        Assert.Equal(2, exit);
        Assert.Contains($"  {path}:3:5: Uplink:Port: ", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFile_IsAnError()
    {
        var exit = await RunAsync("config", "validate", _dir.Combine("absent.json"));

        Assert.Equal(2, exit);
        Assert.Contains("no such file", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_PrintsTheShippedSchema()
    {
        var exit = await RunAsync("config", "schema");

        Assert.Equal(0, exit);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "firmware-config", "agent-config.schema.json"), TestContext.Current.CancellationToken), _output.ToString());
    }

    public void Dispose()
    {
        _dir.Dispose();
        _output.Dispose();
        _error.Dispose();
    }

    private Task<int> RunAsync(params string[] args) => EdgectlApp.RunAsync(args, _output, _error);

    private string Write(string json)
    {
        var path = _dir.Combine($"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DataCentric.Edge.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No DataCentric.Edge.sln above {AppContext.BaseDirectory}.");
    }
}

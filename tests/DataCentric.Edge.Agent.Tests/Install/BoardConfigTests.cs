using System.Text.Json;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Uplink.RemoteConfig;
using Json.Schema;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>Every shipped board config passes the JSON Schema and the agent's own start-up check.</summary>
[Trait("Category", "Unit")]
public sealed class BoardConfigTests
{
    public static TheoryData<string> BoardConfigs() =>
    [
        "raspberry-pi-4/appsettings.RaspberryPi4.json",
        "raspberry-pi-5/appsettings.RaspberryPi5.json",
        "jetson-orin-nano/appsettings.JetsonOrinNano.json",
        "generic-x64/appsettings.GenericX64.json",
    ];

    // Built once: the library registers a schema by its $id globally.
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(FirmwareConfig, "agent-config.schema.json"))));

    private static string FirmwareConfig => Path.Combine(PublishedAgent.RepositoryRoot, "firmware-config");

    [Fact]
    public void ShippedSchema_IsWhatTheOptionsTypesMake()
    {
        var shipped = File.ReadAllText(Path.Combine(FirmwareConfig, "agent-config.schema.json"));

        Assert.True(shipped == AgentConfiguration.SchemaJson(), "firmware-config/agent-config.schema.json is stale: run `edgectl config schema > firmware-config/agent-config.schema.json`");
    }

    [Theory]
    [MemberData(nameof(BoardConfigs))]
    public void BoardConfig_PassesTheSchema_AndTheAgentsCheck(string relativePath)
    {
        var path = Path.Combine(FirmwareConfig, relativePath);

        Assert.Empty(SchemaErrors(File.ReadAllText(path)));
        var configuration = AgentHost.BuildConfiguration(new AgentCommandLine(AgentMode.Run, TimeSpan.FromSeconds(1), "out", path, null));
        Assert.Empty(AgentConfiguration.Validate(configuration));
        Assert.Equal(Path.GetFileName(Path.GetDirectoryName(path)), configuration["Board:Id"]);
        Assert.Equal("true", configuration["Health:MetricsEnabled"], ignoreCase: true);

        // A board config reads the board's hardware: a real camera and a real controller feed.
        Assert.Equal("V4l2", configuration["Sources:Camera:Kind"]);
        Assert.NotEqual("Simulated", configuration["Sources:Controller:Kind"]);
    }

    [Theory]
    [MemberData(nameof(BoardConfigs))]
    public void BoardConfig_HasARemoteConfigSection_ThatBindsWithNoKeyPinned(string relativePath)
    {
        var path = Path.Combine(FirmwareConfig, relativePath);
        var configuration = AgentHost.BuildConfiguration(new AgentCommandLine(AgentMode.Run, TimeSpan.FromSeconds(1), "out", path, null));

        // Shown in the file so an integrator sees where the keys go; install.sh --trusted-key fills the list.
        Assert.True(configuration.GetSection(RemoteConfigOptions.SectionName).Exists());
        var remote = InstallScript.Bind<RemoteConfigOptions>(configuration);
        Assert.Empty(remote.TrustedKeyPaths);
        Assert.Equal("trigger-sets", remote.StateDirectory);
        Assert.False(Path.IsPathRooted(remote.StateDirectory), "the set store lives under Agent:DataDirectory, the unit's only writable place");
    }

    [Theory]
    [InlineData("""{ "Board": { "Id": "raspberry-pi-4", "Camera": "/dev/video0" } }""", "Camera")]
    [InlineData("""{ "Health": { "MetricsPort": 0 } }""", "MetricsPort")]
    [InlineData("""{ "Pipeline": { "TriggerTick": 50 } }""", "TriggerTick")]
    [InlineData("""{ "Boards": { "Id": "raspberry-pi-4" } }""", "Boards")]
    public void BadConfig_FailsTheSchema_AtThatKey(string json, string key)
    {
        Assert.Contains(SchemaErrors(json), e => e.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownKey_FailsTheAgentsCheck_Too()
    {
        using var stream = new MemoryStream("""{ "Board": { "Id": "raspberry-pi-4", "Camera": "/dev/video0" } }"""u8.ToArray());
        var configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();

        Assert.Contains(AgentConfiguration.Validate(configuration), e => e.StartsWith("Board:", StringComparison.Ordinal) && e.Contains("Camera", StringComparison.Ordinal));
    }

    private static List<string> SchemaErrors(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }
}

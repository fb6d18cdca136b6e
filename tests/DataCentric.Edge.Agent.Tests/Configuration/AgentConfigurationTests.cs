using Microsoft.Extensions.Configuration;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Agent.Tests.Configuration;

[Trait("Category", "Unit")]
public sealed class AgentConfigurationTests
{
    [Fact]
    public void ShippedDefaults_AreValid_InBothModes()
    {
        Assert.Empty(AgentConfiguration.Validate(AgentHost.BuildConfiguration(new AgentCommandLine(AgentMode.Run, TimeSpan.FromSeconds(1), "out", null, null))));
        Assert.Empty(AgentConfiguration.Validate(AgentHost.BuildConfiguration(new AgentCommandLine(AgentMode.Demo, TimeSpan.FromSeconds(1), "out", null, null))));
    }

    [Theory]
    [InlineData("Sources:Synthetic:Width", "abc", "Sources:Synthetic")]
    [InlineData("Sources:Synthetic:Width", "5", "Sources:Synthetic:Width")]
    [InlineData("Agent:DeviceId", "dev/1", "Agent:DeviceId")]
    [InlineData("Agent:DeviceId", "_fleet", "Agent:DeviceId: DeviceId must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit")]
    [InlineData("Agent:Fleet", "_models", "Agent:Fleet: Fleet must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit")]
    [InlineData("Uplink:Port", "70000", "Uplink:Port")]
    [InlineData("Pipeline:TriggerTick", "-00:00:01", "Pipeline:TriggerTick")]
    [InlineData("Uplink:TriggerCountersInterval", "00:00:00", "Uplink:TriggerCountersInterval: must be a positive duration")]
    [InlineData("Uplink:TriggerCountersInterval", "-00:01:00", "Uplink:TriggerCountersInterval: must be a positive duration")]
    [InlineData("Recorder:MaxClipLenght", "00:00:10", "MaxClipLenght")]
    [InlineData("Uplnk:Port", "1883", "Uplnk: unknown configuration section")]
    [InlineData("Sources:Gpio:Inputs:0:Pinn", "17", "Pinn")]
    [InlineData("Sources:Imu:Address", "0x68", "Sources:Imu:Address")]
    [InlineData("Sources:Camera:Kind", "7", "Sources:Camera:Kind: 7 is not one of Synthetic, V4l2")]
    [InlineData("Sources:Controller:Kind", "42", "Sources:Controller:Kind: 42 is not one of Simulated, Udp")]
    public void BadValues_AreReported_WithTheirKey(string key, string value, string expected)
    {
        var errors = AgentConfiguration.Validate(Configuration((key, value)));

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void SeveralBadValues_AreAllReported()
    {
        var errors = AgentConfiguration.Validate(Configuration(("Uplink:Port", "-1"), ("Sources:Synthetic:FramesPerSecond", "0"), ("Agent:Fleet", "")));

        Assert.Equal(3, errors.Count);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}

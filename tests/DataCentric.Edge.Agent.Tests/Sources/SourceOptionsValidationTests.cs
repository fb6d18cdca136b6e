using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Agent.Tests.Sources;

/// <summary>Sources:* is checked whole before start, every problem reported with its key.</summary>
[Trait("Category", "Unit")]
public sealed class SourceOptionsValidationTests
{
    [Theory]
    [InlineData("Sources:Camera:Kind", "Webcam", "Sources:Camera")]
    [InlineData("Sources:Camera:Kind", "VideoFile", "Sources:Camera:Path: Path is required when Kind is VideoFile")]
    [InlineData("Sources:Camera:DecodeThreads", "64", "Sources:Camera:DecodeThreads")]
    [InlineData("Sources:Camera:RetryInitialDelay", "00:01:00", "RetryMaxDelay (00:00:30) is shorter")]
    [InlineData("Sources:Controller:Signals:brake", "Maybe", "Signals:brake: kind must be Number, Bool, Detections or Label")]
    [InlineData("Sources:Controller:BinarySignalOrder:0", "throttle", "'throttle' is not listed in Signals")]
    [InlineData("Sources:Controller:CanSignals:0:StartBit", "99", "CanSignals:0: StartBit 99 is outside 0..63")]
    [InlineData("Sources:Controller:MqttReconnectDelay", "00:00:00", "Sources:Controller:MqttReconnectDelay")]
    [InlineData("Sources:Gpio:Inputs:0:Pin", "4", "Inputs:0: Signal is required")]
    [InlineData("Sources:Imu:Binding", "Lsm9ds1", "Sources:Imu")]
    public void BadSourceSettings_AreReported_WithTheirKey(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();

        var errors = AgentConfiguration.Validate(configuration);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void DuplicateGpioPins_AreReported()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("Sources:Gpio:Inputs:0:Pin", "17"), new("Sources:Gpio:Inputs:0:Signal", "driver.brake"),
            new("Sources:Gpio:Inputs:1:Pin", "17"), new("Sources:Gpio:Inputs:1:Signal", "driver.button"),
        ]).Build();

        Assert.Contains(AgentConfiguration.Validate(configuration), e => e.Contains("pin 17 is listed 2 times", StringComparison.Ordinal));
    }
}

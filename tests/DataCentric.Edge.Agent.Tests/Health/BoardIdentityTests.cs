using System.Runtime.InteropServices;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Board;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Agent.Tests.Health;

[Trait("Category", "Unit")]
public sealed class BoardIdentityTests
{
    [Theory]
    [InlineData("Raspberry Pi 4 Model B Rev 1.4\0", "raspberry-pi-4")]
    [InlineData("Raspberry Pi 5 Model B Rev 1.0\0", "raspberry-pi-5")]
    [InlineData("NVIDIA Jetson Orin Nano Developer Kit\0", "jetson-orin-nano")]
    public void DeviceTreeModel_NamesTheBoard(string model, string expected)
    {
        using var dir = new TempDirectory("dce-board");
        File.WriteAllText(dir.Combine("model"), model);

        Assert.Equal(expected, BoardIdentity.Detect(dir.Combine("model"), Architecture.Arm64, out _));
    }

    [Fact]
    public void ConfigForAnotherBoard_IsRefused_NamingBothBoards()
    {
        using var dir = new TempDirectory("dce-board");
        File.WriteAllText(dir.Combine("model"), "Raspberry Pi 4 Model B Rev 1.4\0");

        var error = Assert.Single(BoardIdentity.Check(Config(("Board:Id", "raspberry-pi-5"), ("Board:ModelFile", dir.Combine("model"))), Architecture.Arm64));

        Assert.StartsWith("Board:Id: this config is for 'raspberry-pi-5' but this machine is 'raspberry-pi-4'", error, StringComparison.Ordinal);
        Assert.Contains("Raspberry Pi 4 Model B Rev 1.4\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownArmBoard_IsRefused_SayingWhatWasRead()
    {
        using var dir = new TempDirectory("dce-board");

        var error = Assert.Single(BoardIdentity.Check(Config(("Board:Id", "jetson-orin-nano"), ("Board:ModelFile", dir.Combine("absent"))), Architecture.Arm64));

        Assert.Contains("a board this agent does not know", error, StringComparison.Ordinal);
        Assert.Contains("architecture Arm64", error, StringComparison.Ordinal);
    }

    [Fact]
    public void X64WithoutDeviceTree_IsGenericX64()
    {
        using var dir = new TempDirectory("dce-board");

        Assert.Empty(BoardIdentity.Check(Config(("Board:Id", "generic-x64"), ("Board:ModelFile", dir.Combine("absent"))), Architecture.X64));
        Assert.Single(BoardIdentity.Check(Config(("Board:Id", "raspberry-pi-4"), ("Board:ModelFile", dir.Combine("absent"))), Architecture.X64));
    }

    [Fact]
    public void NoBoardId_SkipsTheCheck()
    {
        Assert.Empty(BoardIdentity.Check(Config(), Architecture.Arm64));
    }

    [Fact]
    public void UnknownBoardId_IsAValidationError()
    {
        var errors = AgentConfiguration.Validate(Config(("Board:Id", "raspberry-pi-3")));

        Assert.Contains(errors, e => e.StartsWith("Board:Id:", StringComparison.Ordinal) && e.Contains("raspberry-pi-4", StringComparison.Ordinal));
    }

    [Fact]
    public void MetricsOffLoopback_IsAValidationError()
    {
        var errors = AgentConfiguration.Validate(Config(("Health:MetricsHost", "0.0.0.0")));

        Assert.Contains(errors, e => e.StartsWith("Health:MetricsHost:", StringComparison.Ordinal) && e.Contains("loopback", StringComparison.Ordinal));
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}

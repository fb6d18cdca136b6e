using DataCentric.Edge.Agent.Tests.EndToEnd;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Device.Sources.Camera;
using DataCentric.Edge.Device.Sources.Controller;
using DataCentric.Edge.Device.Sources.Sensors;
using DataCentric.Edge.Device.Sources.Simulation;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Tests.Sources;

[Trait("Category", "Unit")]
public sealed class SourceRegistrationTests
{
    [Fact]
    public async Task NothingConfigured_FilmsTheSyntheticScene_AndReadsTheSimulatedController()
    {
        await using var agent = new DemoAgent();

        Assert.IsType<SyntheticCameraSource>(agent.Host.Services.GetRequiredService<IFrameSource>());
        Assert.IsType<SimulatedController>(Assert.Single(agent.Host.Services.GetServices<ISignalSource>()));
    }

    [Fact]
    public async Task VideoFileAndUdpController_AreSupervisedSources()
    {
        await using var agent = new DemoAgent(
            ("Sources:Camera:Kind", "VideoFile"),
            ("Sources:Camera:Path", "/data/drive.mp4"),
            ("Sources:Controller:Kind", "Udp"),
            ("Sources:Controller:Signals:brake", "Bool"));

        var camera = Assert.IsType<ResilientFrameSource>(agent.Host.Services.GetRequiredService<IFrameSource>());
        Assert.IsType<FfmpegFrameSource>(camera.Inner);
        var controller = Assert.IsType<ResilientSignalSource>(Assert.Single(agent.Host.Services.GetServices<ISignalSource>()));
        Assert.IsType<UdpControllerSource>(controller.Inner);
    }

    [Fact]
    public async Task ARecordedDrive_BringsItsOwnControllerDecisions_InsteadOfTheSimulatedOnes()
    {
        await using var agent = new DemoAgent(("Sources:Camera:Kind", "Recording"), ("Sources:Camera:Path", "/data/clip.mcap"));

        var camera = Assert.IsType<ResilientFrameSource>(agent.Host.Services.GetRequiredService<IFrameSource>());
        Assert.IsType<RecordingFrameSource>(camera.Inner);
        Assert.IsType<RecordingSignalSource>(Assert.Single(agent.Host.Services.GetServices<ISignalSource>()));
    }
}

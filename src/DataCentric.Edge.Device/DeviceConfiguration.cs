using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Board;
using DataCentric.Edge.Device.Sources.Camera;
using DataCentric.Edge.Device.Sources.Controller;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Sensors;
using DataCentric.Edge.Device.Sources.Simulation;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Device;

/// <summary>The configuration sections of the device's sources, shadow models and board check.</summary>
/// <remarks>Each bind is written out with its own type so that the source-generated binder serves it (<see cref="ConfigSection"/>).</remarks>
public static class DeviceConfiguration
{
    public static ConfigSection<SyntheticSceneOptions> SyntheticScene { get; } = new(SyntheticSceneOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static ConfigSection<SimulatedControllerOptions> SimulatedController { get; } = new(SimulatedControllerOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static ConfigSection<CameraSourceOptions> Camera { get; } = new(CameraSourceOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static ConfigSection<ControllerFeedOptions> Controller { get; } = new(ControllerFeedOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static ConfigSection<GpioSourceOptions> Gpio { get; } = new(GpioSourceOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static ConfigSection<ImuSourceOptions> Imu { get; } = new(ImuSourceOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static ConfigSection<InferenceOptions> Inference { get; } = new(InferenceOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static ConfigSection<BoardOptions> Board { get; } = new(BoardOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static IReadOnlyList<ConfigSection> Sections { get; } = [SyntheticScene, SimulatedController, Camera, Controller, Gpio, Imu, Inference, Board];
}

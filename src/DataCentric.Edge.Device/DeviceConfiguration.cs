using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Board;
using DataCentric.Edge.Device.Camera;
using DataCentric.Edge.Device.Controller;
using DataCentric.Edge.Device.Onnx;
using DataCentric.Edge.Device.Sensors;
using DataCentric.Edge.Device.Simulation;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Device;

/// <summary>The configuration sections of the device's sources, shadow models and board check.</summary>
public static class DeviceConfiguration
{
    /// <remarks>Each bind is written out with its own type so that the source-generated binder serves it (<see cref="ConfigSection"/>).</remarks>
    public static IReadOnlyList<ConfigSection> Sections { get; } =
    [
        new ConfigSection<SyntheticSceneOptions>(SyntheticSceneOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
        new ConfigSection<SimulatedControllerOptions>(SimulatedControllerOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
        new ConfigSection<CameraSourceOptions>(CameraSourceOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
        new ConfigSection<ControllerFeedOptions>(ControllerFeedOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
        new ConfigSection<GpioSourceOptions>(GpioSourceOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
        new ConfigSection<ImuSourceOptions>(ImuSourceOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
        new ConfigSection<InferenceOptions>(InferenceOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
        new ConfigSection<BoardOptions>(BoardOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
    ];
}

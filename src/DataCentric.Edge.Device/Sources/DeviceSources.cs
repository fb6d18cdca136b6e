using System.Device.Gpio;
using System.Device.I2c;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Device.Sources.Camera;
using DataCentric.Edge.Device.Sources.Controller;
using DataCentric.Edge.Device.Sources.Sensors;
using DataCentric.Edge.Device.Sources.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Device.Sources;

/// <summary>
/// Every kind of source the agent can read, one entry each: when the configuration asks for it and
/// how it is made. With nothing configured the agent films the synthetic scene and reads the
/// simulated controller, so the demo runs anywhere. Hardware sources are wrapped so a missing or
/// failing device is reported and retried, never fatal. Adding a source: its options (a section in
/// <see cref="DeviceConfiguration"/>) and one entry here (src/DataCentric.Edge.Device/README.md).
/// </summary>
public static class DeviceSources
{
    private static readonly TimeSpan RetryInitial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(30);

    /// <summary>The frame sources, by <c>Sources:Camera:Kind</c>; one runs. The synthetic scene needs no retry wrapper.</summary>
    private static readonly IReadOnlyDictionary<FrameSourceKind, Func<IServiceProvider, CameraSourceOptions, BadInputCounter, IFrameSource>> FrameSources =
        new Dictionary<FrameSourceKind, Func<IServiceProvider, CameraSourceOptions, BadInputCounter, IFrameSource>>
        {
            [FrameSourceKind.V4l2] = (sp, o, bad) => new V4l2FrameSource(o, Clock(sp), bad),
            [FrameSourceKind.Libcamera] = (sp, o, bad) => new LibcameraFrameSource(o, Clock(sp), bad),
            [FrameSourceKind.VideoFile] = (sp, o, bad) => new FfmpegFrameSource(o, Clock(sp), bad),
            [FrameSourceKind.ImageFolder] = (sp, o, bad) => new FfmpegFrameSource(o, Clock(sp), bad),
            [FrameSourceKind.Recording] = (sp, _, _) => new RecordingFrameSource(sp.GetRequiredService<RecordingReplay>(), Clock(sp)),
        };

    /// <summary>The signal sources: every entry whose condition holds runs.</summary>
    private static readonly IReadOnlyList<SignalSourceEntry> SignalSources =
    [
        // A replayed drive brings its own controller decisions; the simulated controller would contradict them.
        new(c => DeviceConfiguration.Controller.Get(c).Kind == ControllerFeedKind.Simulated && !IsReplay(c),
            sp => new SimulatedController(sp.GetRequiredService<SyntheticScene>(), sp.Options<SimulatedControllerOptions>(), Clock(sp))),
        new(IsReplay, sp => new RecordingSignalSource(sp.GetRequiredService<RecordingReplay>(), Clock(sp))),
        new(c => DeviceConfiguration.Controller.Get(c).Kind == ControllerFeedKind.Udp, sp =>
        {
            var options = sp.Options<ControllerFeedOptions>();
            return Resilient(sp, new UdpControllerSource(options, Publisher(options, ControllerBadInput(sp, options)), Clock(sp)), RetryInitial, RetryMax);
        }),
        new(c => DeviceConfiguration.Controller.Get(c).Kind == ControllerFeedKind.Mqtt, sp =>
        {
            var options = sp.Options<ControllerFeedOptions>();
            return new MqttControllerSource(options, Publisher(options, ControllerBadInput(sp, options)), Clock(sp), sp.GetRequiredService<ILogger<MqttControllerSource>>());
        }),
        new(c => DeviceConfiguration.Controller.Get(c).Kind == ControllerFeedKind.Can, sp =>
        {
            var options = sp.Options<ControllerFeedOptions>();
            var decoder = new CanSignalDecoder(options, ControllerBadInput(sp, options));
            var can = new CanControllerSource($"can:{options.CanInterface}", () => new SocketCanFrameReader(options.CanInterface), decoder, Clock(sp));
            return Resilient(sp, can, RetryInitial, RetryMax);
        }),
        new(c => DeviceConfiguration.Gpio.Get(c).Inputs.Count > 0,
            sp => Resilient(sp, new GpioInputSource(sp.Options<GpioSourceOptions>(), () => new GpioController(), Clock(sp)), RetryInitial, RetryMax)),
        new(c => DeviceConfiguration.Imu.Get(c).Binding != ImuBinding.None, sp =>
        {
            var options = sp.Options<ImuSourceOptions>();
            return Resilient(sp, new ImuSource(options, I2cDevice.Create, Clock(sp)), options.RetryInitialDelay, options.RetryMaxDelay);
        }),
    ];

    /// <summary>Registers the frame source and every configured signal source (Sources:*).</summary>
    public static IServiceCollection AddDeviceSources(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<SourceHealth>();
        services.AddSingleton(sp => new SyntheticScene(sp.Options<SyntheticSceneOptions>()));
        AddFrameSource(services, DeviceConfiguration.Camera.Get(configuration).Kind);
        foreach (var source in SignalSources.Where(s => s.IsConfigured(configuration)))
        {
            services.AddSingleton(source.Create);
        }

        return services;
    }

    private static void AddFrameSource(IServiceCollection services, FrameSourceKind kind)
    {
        if (kind == FrameSourceKind.Synthetic)
        {
            services.AddSingleton<IFrameSource>(sp => new SyntheticCameraSource(sp.GetRequiredService<SyntheticScene>(), Clock(sp)));
            return;
        }

        services.AddSingleton(sp => new RecordingReplay(sp.Options<CameraSourceOptions>()));
        services.AddSingleton<IFrameSource>(sp =>
        {
            var options = sp.Options<CameraSourceOptions>();
            var badInput = BadInput(sp, "camera", TimeSpan.FromSeconds(30));
            var inner = FrameSources[options.Kind](sp, options, badInput);
            var finite = options.Kind is FrameSourceKind.VideoFile or FrameSourceKind.ImageFolder or FrameSourceKind.Recording && !options.Loop;
            return new ResilientFrameSource(
                inner, finite, sp.GetRequiredService<SourceHealth>(), new RetryBackoff(options.RetryInitialDelay, options.RetryMaxDelay), badInput, Clock(sp).TimeProvider);
        });
    }

    private static bool IsReplay(IConfiguration configuration) => DeviceConfiguration.Camera.Get(configuration).Kind == FrameSourceKind.Recording;

    private static MonotonicClock Clock(IServiceProvider sp) => sp.GetRequiredService<MonotonicClock>();

    private static ControllerDecisionPublisher Publisher(ControllerFeedOptions options, BadInputCounter badInput) =>
        new(options, badInput, new ClockOffsetEstimator(options.ClockOffsetWindow));

    private static BadInputCounter ControllerBadInput(IServiceProvider sp, ControllerFeedOptions options) =>
        BadInput(sp, $"controller-{options.Kind}".ToLowerInvariant(), options.BadInputLogInterval);

    private static ResilientSignalSource Resilient(IServiceProvider sp, ISignalSource inner, TimeSpan initial, TimeSpan max) =>
        new(inner, sp.GetRequiredService<SourceHealth>(), new RetryBackoff(initial, max), Clock(sp).TimeProvider, sp.GetRequiredService<ILogger<ResilientSignalSource>>());

    private static BadInputCounter BadInput(IServiceProvider sp, string source, TimeSpan interval) =>
        new(source, Clock(sp).TimeProvider, interval, sp.GetRequiredService<ILoggerFactory>().CreateLogger($"DataCentric.Edge.Sources.{source}"));

    /// <summary>One kind of signal source: whether the configuration asks for it, and how it is made.</summary>
    private sealed record SignalSourceEntry(Func<IConfiguration, bool> IsConfigured, Func<IServiceProvider, ISignalSource> Create);
}

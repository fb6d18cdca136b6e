using System.Diagnostics.CodeAnalysis;
using System.Device.Gpio;
using System.Device.I2c;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Device.Camera;
using DataCentric.Edge.Device.Controller;
using DataCentric.Edge.Device.Sensors;
using DataCentric.Edge.Device.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent;

/// <summary>
/// Chooses the frame source and the signal sources from configuration (Sources:*). With nothing
/// configured the agent films the synthetic scene and reads the simulated controller, so the demo
/// runs anywhere. Hardware sources are wrapped so a missing or failing device is reported and
/// retried, never fatal.
/// </summary>
internal static class SourceRegistration
{
    public static void AddSources(IServiceCollection services, IConfiguration configuration)
    {
        var camera = configuration.GetSection(CameraSourceOptions.SectionName).Get<CameraSourceOptions>() ?? new();
        var controller = configuration.GetSection(ControllerFeedOptions.SectionName).Get<ControllerFeedOptions>() ?? new();
        var gpio = configuration.GetSection(GpioSourceOptions.SectionName).Get<GpioSourceOptions>() ?? new();
        var imu = configuration.GetSection(ImuSourceOptions.SectionName).Get<ImuSourceOptions>() ?? new();

        services.AddSingleton<SourceHealth>();
        services.AddSingleton(sp => new SyntheticScene(Value<SyntheticSceneOptions>(sp)));
        AddFrameSource(services, camera);

        // A replayed drive brings its own controller decisions; the simulated controller would contradict them.
        var simulatedController = controller.Kind == ControllerFeedKind.Simulated && camera.Kind != FrameSourceKind.Recording;
        if (simulatedController)
        {
            services.AddSingleton<ISignalSource>(sp => new SimulatedController(
                sp.GetRequiredService<SyntheticScene>(), Value<SimulatedControllerOptions>(sp), sp.GetRequiredService<MonotonicClock>()));
        }

        if (camera.Kind == FrameSourceKind.Recording)
        {
            services.AddSingleton<ISignalSource>(sp => new RecordingSignalSource(sp.GetRequiredService<RecordingReplay>(), sp.GetRequiredService<MonotonicClock>()));
        }

        AddControllerFeed(services, controller.Kind);
        if (gpio.Inputs.Count > 0)
        {
            services.AddSingleton<ISignalSource>(sp => Resilient(sp, new GpioInputSource(Value<GpioSourceOptions>(sp), () => new GpioController(), sp.GetRequiredService<MonotonicClock>()), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));
        }

        if (imu.Binding != ImuBinding.None)
        {
            services.AddSingleton<ISignalSource>(sp =>
            {
                var options = Value<ImuSourceOptions>(sp);
                return Resilient(sp, new ImuSource(options, I2cDevice.Create, sp.GetRequiredService<MonotonicClock>()), options.RetryInitialDelay, options.RetryMaxDelay);
            });
        }
    }

    private static void AddFrameSource(IServiceCollection services, CameraSourceOptions camera)
    {
        if (camera.Kind == FrameSourceKind.Synthetic)
        {
            services.AddSingleton<IFrameSource>(sp => new SyntheticCameraSource(sp.GetRequiredService<SyntheticScene>(), sp.GetRequiredService<MonotonicClock>()));
            return;
        }

        services.AddSingleton(sp => new RecordingReplay(Value<CameraSourceOptions>(sp)));
        services.AddSingleton<IFrameSource>(sp =>
        {
            var options = Value<CameraSourceOptions>(sp);
            var clock = sp.GetRequiredService<MonotonicClock>();
            var badInput = BadInput(sp, "camera", TimeSpan.FromSeconds(30));
            IFrameSource inner = options.Kind switch
            {
                FrameSourceKind.V4l2 => new V4l2FrameSource(options, clock, badInput),
                FrameSourceKind.Libcamera => new LibcameraFrameSource(options, clock, badInput),
                FrameSourceKind.Recording => new RecordingFrameSource(sp.GetRequiredService<RecordingReplay>(), clock),
                _ => new FfmpegFrameSource(options, clock, badInput),
            };
            var finite = options.Kind is FrameSourceKind.VideoFile or FrameSourceKind.ImageFolder or FrameSourceKind.Recording && !options.Loop;
            return new ResilientFrameSource(
                inner, finite, sp.GetRequiredService<SourceHealth>(), new RetryBackoff(options.RetryInitialDelay, options.RetryMaxDelay), badInput, clock.TimeProvider);
        });
    }

    private static void AddControllerFeed(IServiceCollection services, ControllerFeedKind kind)
    {
        if (kind is ControllerFeedKind.Simulated or ControllerFeedKind.None)
        {
            return;
        }

        services.AddSingleton<ISignalSource>(sp =>
        {
            var options = Value<ControllerFeedOptions>(sp);
            var clock = sp.GetRequiredService<MonotonicClock>();
            var badInput = BadInput(sp, $"controller-{kind}".ToLowerInvariant(), options.BadInputLogInterval);
            switch (kind)
            {
                case ControllerFeedKind.Udp:
                    return Resilient(sp, new UdpControllerSource(options, Publisher(options, badInput), clock), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
                case ControllerFeedKind.Mqtt:
                    return new MqttControllerSource(options, Publisher(options, badInput), clock, sp.GetRequiredService<ILogger<MqttControllerSource>>());
                default:
                    var decoder = new CanSignalDecoder(options, badInput);
                    var can = new CanControllerSource($"can:{options.CanInterface}", () => new SocketCanFrameReader(options.CanInterface), decoder, clock);
                    return Resilient(sp, can, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
            }
        });
    }

    private static ControllerDecisionPublisher Publisher(ControllerFeedOptions options, BadInputCounter badInput) =>
        new(options, badInput, new ClockOffsetEstimator(options.ClockOffsetWindow));

    private static ResilientSignalSource Resilient(IServiceProvider sp, ISignalSource inner, TimeSpan initial, TimeSpan max) =>
        new(inner, sp.GetRequiredService<SourceHealth>(), new RetryBackoff(initial, max), sp.GetRequiredService<MonotonicClock>().TimeProvider, sp.GetRequiredService<ILogger<ResilientSignalSource>>());

    private static BadInputCounter BadInput(IServiceProvider sp, string source, TimeSpan interval) =>
        new(source, sp.GetRequiredService<MonotonicClock>().TimeProvider, interval, sp.GetRequiredService<ILoggerFactory>().CreateLogger($"DataCentric.Edge.Sources.{source}"));

    private static T Value<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(IServiceProvider sp)
        where T : class => sp.GetRequiredService<IOptions<T>>().Value;
}

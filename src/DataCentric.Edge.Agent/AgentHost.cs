using System.Diagnostics.CodeAnalysis;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Agent.Demo;
using DataCentric.Edge.Agent.Health;
using DataCentric.Edge.Agent.Memory;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Agent.Workers;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Device.Onnx;
using DataCentric.Edge.Device.Simulation;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.RemoteConfig;
using DataCentric.Edge.Uplink.Upload;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent;

/// <summary>The composition root: configuration, then one service per stage in data-flow order.</summary>
public static class AgentHost
{
    private const string DemoTempPrefix = "dce-demo-";

    /// <summary>Reads configuration in order: defaults file, demo defaults, --config file, DCE_ environment variables, overrides.</summary>
    public static IConfigurationRoot BuildConfiguration(AgentCommandLine commandLine, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        if (commandLine.IsDemo)
        {
            var tempRoot = Path.Combine(Path.GetTempPath(), $"{DemoTempPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
            builder.AddJsonFile("appsettings.Demo.json", optional: false, reloadOnChange: false);
            builder.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{ReceiverOptions.SectionName}:{nameof(ReceiverOptions.OutputDirectory)}"] =
                    commandLine.Mode == AgentMode.Demo ? Path.GetFullPath(commandLine.OutputDirectory) : Path.Combine(tempRoot, "received"),
                [$"{AgentOptions.SectionName}:{nameof(AgentOptions.DataDirectory)}"] =
                    Path.Combine(tempRoot, "data"),
            });
        }

        if (commandLine.ConfigFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(commandLine.ConfigFile), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables("DCE_");
        if (commandLine.DataDirectory is not null)
        {
            builder.AddInMemoryCollection([new($"{AgentOptions.SectionName}:{nameof(AgentOptions.DataDirectory)}", Path.GetFullPath(commandLine.DataDirectory))]);
        }

        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }

    /// <summary>The demo's catalog and clips live in a fresh temp folder (the received clips stay in --out): remove it.</summary>
    public static void DeleteDemoData(AgentCommandLine commandLine, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(configuration);
        var data = configuration[$"{AgentOptions.SectionName}:{nameof(AgentOptions.DataDirectory)}"];
        var root = data is null ? null : Path.GetDirectoryName(data);
        if (commandLine.IsDemo && commandLine.DataDirectory is null && root is not null
            && Path.GetFileName(root).StartsWith(DemoTempPrefix, StringComparison.Ordinal) && Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    public static IHost Build(AgentCommandLine commandLine, IConfiguration configuration, TextWriter demoOutput)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Services.AddServiceManagerNotifications();
        var services = builder.Services;
        services.AddSingleton(commandLine);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new MonotonicClock(sp.GetRequiredService<TimeProvider>()));
        foreach (var section in AgentConfiguration.Sections)
        {
            // Validated whole by AgentConfiguration before the host is built; bound here for injection.
            section.AddOptions(services, configuration);
        }

        AddPipeline(services);
        AddDevice(services, configuration);
        AddStorageAndUplink(services);
        services.AddHealth();
        if (bool.TryParse(configuration[$"{UplinkOptions.SectionName}:{nameof(UplinkOptions.UseEmbeddedBroker)}"], out var embeddedBroker) && embeddedBroker)
        {
            services.AddHostedService<EmbeddedBrokerService>();
        }

        if (commandLine.IsDemo)
        {
            services.AddSingleton(sp => new DemoConsole(demoOutput, sp.GetRequiredService<PipelineEvents>()));
            services.AddSingleton(sp => new ClipReceiver(Value<ReceiverOptions>(sp), Value<UplinkOptions>(sp), sp.GetRequiredService<BrokerEndpoint>()));
            services.AddHostedService<DemoReceiverService>();
        }

        // Before the sources, so the drive holds their first samples.
        if (commandLine.Mode == AgentMode.Record)
        {
            services.AddHostedService(sp => new DriveRecorderService(
                commandLine, sp.GetRequiredService<SignalBus>(), sp.GetRequiredService<MonotonicClock>(), sp.GetRequiredService<ClipMetadata>(), demoOutput));
        }

        // Hosted services start in this order and stop in reverse: consumers before producers.
        services.AddHostedService<RemoteConfigWorker>();
        services.AddHostedService<CommandWorker>();
        services.AddHostedService<UploadWorker>();
        services.AddHostedService<StorageWorker>();
        services.AddHostedService<RecorderWorker>();
        services.AddHostedService<TriggerWorker>();
        services.AddHostedService<InferenceWorker>();
        services.AddHostedService<SignalSourceWorker>();
        services.AddHostedService<FrameSourceWorker>();
        services.AddHostedService<StartupPagesRelease>();
        if (commandLine.IsDemo)
        {
            services.AddHostedService<DemoStopper>();
        }

        return builder.Build();
    }

    private static void AddPipeline(IServiceCollection services)
    {
        services.AddSingleton(sp => new SignalBus(Value<SignalBusOptions>(sp)));
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton<PipelineEvents>();
        services.AddSingleton<PipelineChannels>();
        services.AddSingleton<ClipMetadata>();
        services.AddSingleton(sp => new ClipRecorder(Value<RecorderOptions>(sp), sp.GetRequiredService<MonotonicClock>()));
        services.AddSingleton(sp => TriggerSetLoader.LoadActive(Value<AgentOptions>(sp), sp.GetRequiredService<SignalBus>(), sp.GetServices<ISignalSource>(), sp.GetRequiredService<IInferenceEngine>()));
    }

    private static void AddDevice(IServiceCollection services, IConfiguration configuration)
    {
        SourceRegistration.AddSources(services, configuration);
        services.AddSingleton(sp => ShadowModelSet.Load(Value<InferenceOptions>(sp), AppContext.BaseDirectory, sp.GetRequiredService<ILogger<ShadowModelSet>>()));
        services.AddSingleton<IInferenceEngine>(sp => sp.GetRequiredService<ShadowModelSet>());
    }

    private static void AddStorageAndUplink(IServiceCollection services)
    {
        services.AddSingleton(sp => DataDirectoryLock.Acquire(DataDirectory(sp)));
        services.AddSingleton<IClipCatalog>(sp =>
        {
            sp.GetRequiredService<DataDirectoryLock>();
            return new LiteDbClipCatalog(Path.Combine(DataDirectory(sp), "catalog.db"), Value<StorageOptions>(sp).MaxCatalogWritesBetweenCheckpoints);
        });
        services.AddSingleton<IClipWriter>(_ => new Core.Recording.Mcap.McapClipWriter());
        services.AddSingleton<IClipReader>(_ => new Core.Recording.Mcap.McapClipReader());
        services.AddSingleton(sp =>
        {
            var store = new ClipFileStore(
                Path.Combine(DataDirectory(sp), "clips"), sp.GetRequiredService<IClipWriter>(), sp.GetRequiredService<IClipCatalog>(), sp.GetRequiredService<TimeProvider>());
            ClipStoreReconciler.ReconcileAndLog(store, sp.GetRequiredService<IClipCatalog>(), sp.GetRequiredService<IClipReader>(), sp.GetRequiredService<TimeProvider>(), StorageLogger(sp));
            return store;
        });
        services.AddSingleton(sp => new ClipRetention(
            sp.GetRequiredService<ClipFileStore>(), sp.GetRequiredService<IClipCatalog>(), Value<StorageOptions>(sp), sp.GetRequiredService<TimeProvider>(), StorageLogger(sp)));
        services.AddSingleton(sp => new ClipBuffer(
            sp.GetRequiredService<ClipFileStore>(), sp.GetRequiredService<IClipCatalog>(), sp.GetRequiredService<ClipRetention>(), Value<StorageOptions>(sp), StorageLogger(sp)));
        services.AddSingleton(sp => new BrokerEndpoint(Value<UplinkOptions>(sp).Host, Value<UplinkOptions>(sp).Port));
        services.AddSingleton(sp => new FleetTopics(Value<AgentOptions>(sp).Fleet, Value<AgentOptions>(sp).DeviceId));
        services.AddSingleton(sp => new DeviceConnection(Value<UplinkOptions>(sp), sp.GetRequiredService<BrokerEndpoint>(), sp.GetRequiredService<FleetTopics>())
        {
            Health = sp.GetRequiredService<IHealthSummarySource>().Current,
        });
        services.AddSingleton(sp => new MqttClipUploader(
            sp.GetRequiredService<DeviceConnection>(), sp.GetRequiredService<IClipCatalog>(), sp.GetRequiredService<ClipFileStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<UploadRequests>();
        services.AddSingleton<RingWindowRecorder>();
        services.AddSingleton(sp => new DeviceEvents(sp.GetRequiredService<DeviceConnection>()));
        services.AddSingleton<INetworkState>(sp => new NetworkInterfaceState([.. Value<UplinkOptions>(sp).UnmeteredInterfaces]));
        services.AddSingleton<IUploadGate>(sp => new UploadPolicyGate(
            sp.GetRequiredService<ActiveTriggerSet>().PolicyOf, sp.GetRequiredService<INetworkState>(), sp.GetRequiredService<UploadRequests>()));
        services.AddSingleton(sp =>
        {
            var remote = Value<RemoteConfigOptions>(sp);
            var agent = Value<AgentOptions>(sp);
            var active = sp.GetRequiredService<ActiveTriggerSet>();
            var device = new TriggerSetDevice(
                agent.Fleet, agent.DeviceId, [.. remote.Groups], FleetKeys.LoadTrusted(remote.TrustedKeyPaths.Select(p => Path.GetFullPath(p, AppContext.BaseDirectory))),
                sp.GetRequiredService<SignalBus>().Describe(), remote.MaxEnvelopeBytes);
            return new RemoteTriggerSets(
                sp.GetRequiredService<DeviceConnection>(), active, device, Path.Combine(DataDirectory(sp), remote.StateDirectory), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp =>
        {
            // The remote sets follow a rollback onto disk: they exist before a command can ask for one.
            sp.GetRequiredService<RemoteTriggerSets>();
            return new DeviceCommands(new CommandDependencies(
                sp.GetRequiredService<DeviceConnection>(), sp.GetRequiredService<IClipCatalog>(), sp.GetRequiredService<UploadRequests>(),
                Value<CommandOptions>(sp), sp.GetRequiredService<TimeProvider>())
            {
                TriggerSets = sp.GetRequiredService<ActiveTriggerSet>(),
                RecentWindows = sp.GetRequiredService<RingWindowRecorder>(),
            });
        });
        services.AddSingleton(sp => new UploadLoop(
            sp.GetRequiredService<MqttClipUploader>(), sp.GetRequiredService<IClipCatalog>(), sp.GetRequiredService<IUploadGate>(),
            sp.GetRequiredService<UploadRequests>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<UploadLoop>>()));
    }

    private static ILogger StorageLogger(IServiceProvider sp) => sp.GetRequiredService<ILoggerFactory>().CreateLogger("DataCentric.Edge.Uplink.Storage");

    private static string DataDirectory(IServiceProvider sp) => Path.GetFullPath(Value<AgentOptions>(sp).DataDirectory);

    private static T Value<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(IServiceProvider sp)
        where T : class => sp.GetRequiredService<IOptions<T>>().Value;
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;
using DataCentric.Edge.Uplink.Upload;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Uplink;

public static class UplinkServiceCollectionExtensions
{
    /// <summary>
    /// The device's link to the broker: one connection (status, Last Will), the clip uploader and its
    /// loop behind the upload gate, trigger events and counters, signed remote trigger sets and commands.
    /// Reads the buffer through <see cref="IClipCatalog"/> and <see cref="IClipFileLocator"/>, and the
    /// counters from the composition's <see cref="TriggerEngine"/>.
    /// </summary>
    public static IServiceCollection AddUplink(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSections(UplinkConfiguration.Sections, configuration);
        services.AddSingleton(sp => new BrokerEndpoint(sp.Options<UplinkOptions>().Host, sp.Options<UplinkOptions>().Port));
        services.AddSingleton(sp => new FleetTopics(sp.Options<AgentOptions>().Fleet, sp.Options<AgentOptions>().DeviceId));
        services.AddSingleton(sp => new DeviceConnection(sp.Options<UplinkOptions>(), sp.GetRequiredService<BrokerEndpoint>(), sp.GetRequiredService<FleetTopics>())
        {
            Health = sp.GetRequiredService<IHealthSummarySource>().Current,
        });
        services.AddSingleton(sp => new MqttClipUploader(
            sp.GetRequiredService<DeviceConnection>(), sp.GetRequiredService<IUploadOutbox>(), sp.GetRequiredService<IClipFileLocator>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<UploadRequests>();
        services.AddSingleton(sp => new DeviceEvents(sp.GetRequiredService<DeviceConnection>()));
        services.AddSingleton(sp => new TriggerCountersPublisher(
            sp.GetRequiredService<DeviceConnection>(), sp.GetRequiredService<TriggerEngine>(), sp.Options<UplinkOptions>().TriggerCountersInterval,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TriggerCountersPublisher>>()));
        services.AddSingleton<INetworkState>(sp => new NetworkInterfaceState([.. sp.Options<UplinkOptions>().UnmeteredInterfaces]));
        services.AddSingleton<IUploadGate>(sp => new UploadPolicyGate(
            sp.GetRequiredService<ActiveTriggerSet>().PolicyOf, sp.GetRequiredService<INetworkState>(), sp.GetRequiredService<UploadRequests>()));
        services.AddSingleton(sp =>
        {
            var remote = sp.Options<RemoteConfigOptions>();
            var agent = sp.Options<AgentOptions>();

            // The active set first: compiling it registers every signal the sources and models declare,
            // and a pushed set is checked against exactly those.
            var active = sp.GetRequiredService<ActiveTriggerSet>();
            var device = new TriggerSetDevice(
                agent.Fleet, agent.DeviceId, [.. remote.Groups], FleetKeys.LoadTrusted(remote.TrustedKeyPaths.Select(p => Path.GetFullPath(p, AppContext.BaseDirectory))),
                sp.GetRequiredService<SignalBus>().Describe(), remote.MaxEnvelopeBytes);
            return new RemoteTriggerSets(
                sp.GetRequiredService<DeviceConnection>(), active, device,
                Path.Combine(Path.GetFullPath(agent.DataDirectory), remote.StateDirectory), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp =>
        {
            // The remote sets follow a rollback onto disk: they exist before a command can ask for one.
            sp.GetRequiredService<RemoteTriggerSets>();
            return new DeviceCommands(new CommandDependencies(
                sp.GetRequiredService<DeviceConnection>(), sp.GetRequiredService<IClipCatalog>(), sp.GetRequiredService<UploadRequests>(),
                sp.Options<CommandOptions>(), sp.GetRequiredService<TimeProvider>())
            {
                TriggerSets = sp.GetRequiredService<ActiveTriggerSet>(),
                RecentWindows = sp.GetService<IRecentWindowRecorder>(),
                Drives = sp.GetService<IDriveRecorder>(),
                Pins = sp.GetService<IPinBudget>(),
                Models = sp.GetService<ModelReleaseReceiver>(),
            });
        });
        services.AddSingleton(sp => new UploadLoop(
            sp.GetRequiredService<MqttClipUploader>(), sp.GetRequiredService<IUploadOutbox>(), sp.GetRequiredService<IUploadGate>(),
            sp.GetRequiredService<UploadRequests>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<UploadLoop>>()));
        return services;
    }
}

using DataCentric.Edge.Agent.Demo.FleetConsole;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Fleet;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.Uplink.Broker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Demo;

/// <summary>The embedded defaults that stand in for the fleet: an in-process broker and the demo's clip receiver.</summary>
internal static class DemoServiceCollectionExtensions
{
    /// <summary>With <c>Uplink:UseEmbeddedBroker</c>, MQTTnet's broker on loopback, started before the uplink needs it.</summary>
    public static IServiceCollection AddEmbeddedBroker(this IServiceCollection services, IConfiguration configuration)
    {
        if (bool.TryParse(configuration[$"{UplinkOptions.SectionName}:{nameof(UplinkOptions.UseEmbeddedBroker)}"], out var embedded) && embedded)
        {
            services.AddSingleton<EmbeddedBrokerService>();
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBrokerService>());
        }

        return services;
    }

    /// <summary>The fleet side of the demo in the same process: a clip receiver writing to <c>--out</c>, and the console that prints triggers and clips.</summary>
    public static IServiceCollection AddDemoReceiver(this IServiceCollection services, IConfiguration configuration, TextWriter output)
    {
        services.AddSections(FleetConfiguration.Sections, configuration);
        services.AddSingleton(sp => new DemoConsole(output, sp.GetRequiredService<PipelineEvents>()));
        services.AddSingleton(sp => new ClipReceiver(sp.Options<ReceiverOptions>(), sp.Options<UplinkOptions>(), sp.GetRequiredService<BrokerEndpoint>()));
        services.AddHostedService<DemoReceiverService>();
        return services;
    }

    /// <summary>
    /// <c>demo --console</c>: dce-fleet as a child process on the demo's broker, started (and ready) before the
    /// stages so it sees every clip, and stopped before the broker.
    /// </summary>
    public static IServiceCollection AddDemoFleetConsole(this IServiceCollection services)
    {
        services.AddHostedService(sp => new DemoFleetConsoleService(
            sp.GetRequiredService<EmbeddedBrokerService>(),
            sp.Options<AgentOptions>(),
            sp.GetRequiredService<DemoConsole>(),
            sp.GetRequiredService<ILogger<DemoFleetConsoleService>>()));
        return services;
    }
}

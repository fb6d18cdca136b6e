using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Recording;
using DataCentric.Edge.Core.Signals;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Core's options, the clocks (wall and monotonic), the signal bus and the clip recorder.</summary>
    public static IServiceCollection AddCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSections(CoreConfiguration.Sections, configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new MonotonicClock(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new SignalBus(sp.Options<SignalBusOptions>()));
        services.AddSingleton(sp => new ClipRecorder(sp.Options<RecorderOptions>(), sp.GetRequiredService<MonotonicClock>()));
        return services;
    }
}

using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.WebConsole.ModelConsole;
using DataCentric.Edge.FleetService.WebConsole.Pulls;
using DataCentric.Edge.FleetService.WebConsole.Triggers;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>
/// The web console: pages at <c>/console/</c> on the API's own address, and the endpoints only the
/// console needs. <see cref="AddFleetConsole"/> goes after <c>AddFleetCatalog</c> and <c>AddFleetApi</c>.
/// </summary>
public static class ConsoleServiceCollectionExtensions
{
    /// <summary>The <c>Console</c> section, bound by the source-generated binder (ConfigSection).</summary>
    public static ConfigSection<ConsoleOptions> Section { get; } = new(ConsoleOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static IServiceCollection AddFleetConsole(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        Section.AddOptions(services, configuration);
        services.AddSingleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>();
        services.AddOptions<ConsoleOptions>().ValidateOnStart();
        services.AddSingleton<DeviceFeed>();
        services.AddSingleton<ClipContentCache>();
        services.AddSingleton<ConsoleAssets>();
        services.AddSingleton<ConsoleEndpoints>();
        services.AddSingleton<ClipFrameEndpoints>();
        services.AddSingleton<ClipMp4Endpoints>();
        services.AddConsoleTriggers(configuration);
        services.AddConsoleModels(configuration);
        services.AddConsolePulls();

        // The tracker writes statuses through IFleetIngest: the ones the catalog applies also go to the live pages.
        if (services.LastOrDefault(d => d.ServiceType == typeof(IFleetIngest)) is { ImplementationFactory: { } factory } ingest)
        {
            services.Remove(ingest);
            services.AddSingleton<IFleetIngest>(sp => new StatusObservingIngest((IFleetIngest)factory(sp), sp.GetRequiredService<DeviceFeed>()));
        }

        return services;
    }

    /// <summary>Maps <c>/</c> (to the console), <c>/console/...</c> and the console's <c>/api/...</c> endpoints.</summary>
    public static WebApplication MapFleetConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var assets = app.Services.GetRequiredService<ConsoleAssets>();
        app.MapGet("/", ToConsole);
        app.MapGet("/console/{**path}", context => assets.Serve(context).ExecuteAsync(context));
        var api = app.MapGroup("/api").RequireCors(FleetApiServiceCollectionExtensions.CorsPolicy);
        api.MapGet("/console/session", ApiEndpoint.For<ConsoleEndpoints>(ApiRole.Viewer, (e, c) => e.SessionAsync(c)));
        api.MapGet("/console/devices", ApiEndpoint.For<ConsoleEndpoints>(ApiRole.Viewer, (e, c) => e.ListDevicesAsync(c)));
        api.MapGet("/console/devices/events", ApiEndpoint.For<ConsoleEndpoints>(ApiRole.Viewer, (e, c) => e.StreamDevicesAsync(c)));
        api.MapGet("/clips/{clipId}/frames", ApiEndpoint.For<ClipFrameEndpoints>(ApiRole.Viewer, (e, c) => e.IndexAsync(c)));
        api.MapGet("/clips/{clipId}/frames/{frame}", ApiEndpoint.For<ClipFrameEndpoints>(ApiRole.Viewer, (e, c) => e.FrameAsync(c)));
        api.MapGet("/console/clips/{clipId}/mp4", ApiEndpoint.For<ClipMp4Endpoints>(ApiRole.Viewer, (e, c) => e.DownloadAsync(c)));
        api.MapConsoleTriggers();
        api.MapConsoleModels();
        api.MapConsolePulls();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleServiceCollectionExtensions).FullName!);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
            {
                ConsoleLog.Ready(logger, $"{url.TrimEnd('/')}/console/");
            }
        });
        return app;
    }

    private static Task ToConsole(HttpContext context)
    {
        context.Response.Redirect("/console/");
        return Task.CompletedTask;
    }
}

using System.Net;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Fleet.Api;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>The HTTP API: <see cref="AddFleetApi"/> registers it, <see cref="MapFleetApi"/> maps its endpoints.</summary>
public static class FleetApiServiceCollectionExtensions
{
    public const string CorsPolicy = "fleet-api";

    /// <summary>The <c>Api</c> section, bound by the source-generated binder (ConfigSection).</summary>
    public static ConfigSection<ApiOptions> Section { get; } = new(ApiOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    /// <summary>The <c>Operator</c> section (the operator link: pulls sent to devices, trigger set pushes).</summary>
    public static ConfigSection<OperatorOptions> OperatorSection { get; } = new(OperatorOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    /// <summary>
    /// The API's services and options (validated at start). It reads the catalog (<c>AddFleetCatalog</c>) and the
    /// object store (<c>AddClipObjectStore</c>). Listens on http://127.0.0.1:8480 unless <c>urls</c>,
    /// <c>http_ports</c> or <c>Kestrel:Endpoints</c> say otherwise: localhost only by default.
    /// </summary>
    public static IServiceCollection AddFleetApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        Section.AddOptions(services, configuration);
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddOptions<ApiOptions>().ValidateOnStart();
        OperatorSection.AddOptions(services, configuration);
        services.AddSingleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidator>();
        services.AddOptions<OperatorOptions>().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiTokens>();
        services.AddSingleton<ApiAccess>();
        services.AddSingleton<ClipLinkSigner>();
        services.AddSingleton<CatalogEndpoints>();
        services.AddSingleton<ClipFileEndpoint>();
        services.AddSingleton<ClipLinkEndpoint>();
        services.AddSingleton<PullEndpoints>();
        services.AddSingleton<DatasetReportEndpoints>();
        services.AddSingleton<HealthEndpoint>();
        services.AddSingleton<OperatorLink>();
        services.AddSingleton<PullDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<PullDispatcher>());
        services.AddSingleton<TriggerPushEndpoint>();
        services.AddModelApi();
        services.AddHostedService<FleetApiStartup>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, FleetApiJsonContext.Default));
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<ApiOptions>>((cors, api) => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins([.. api.Value.EffectiveOrigins()])
            .WithMethods(HttpMethods.Get, HttpMethods.Head, HttpMethods.Post)
            .WithHeaders(HeaderNames.Authorization, HeaderNames.Range, HeaderNames.IfRange, HeaderNames.IfNoneMatch, HeaderNames.ContentType)
            .WithExposedHeaders(HeaderNames.ContentRange, HeaderNames.AcceptRanges, HeaderNames.ContentLength, HeaderNames.ETag, HeaderNames.ContentDisposition)
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        if (!HasListenAddress(configuration))
        {
            services.Configure<KestrelServerOptions>(kestrel => kestrel.Listen(IPAddress.Loopback, ApiOptions.DefaultPort));
        }

        return services;
    }

    /// <summary>Maps <c>/healthz</c> and <c>/api/...</c> (CORS for the allowed origins on /api).</summary>
    public static WebApplication MapFleetApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseCors();
        app.MapGet("/healthz", ApiEndpoint.For<HealthEndpoint>(null, (e, c) => e.HandleAsync(c)));
        var api = app.MapGroup("/api").RequireCors(CorsPolicy);
        api.MapGet("/clips", ApiEndpoint.For<CatalogEndpoints>(ApiRole.Viewer, (e, c) => e.ListClipsAsync(c)));
        api.MapGet("/clips/{clipId}", ApiEndpoint.For<CatalogEndpoints>(ApiRole.Viewer, (e, c) => e.GetClipAsync(c)));
        api.MapMethods("/clips/{clipId}/file", [HttpMethods.Get, HttpMethods.Head], ApiEndpoint.For<ClipFileEndpoint>(null, (e, c) => e.HandleAsync(c)));
        api.MapGet("/clips/{clipId}/link", ApiEndpoint.For<ClipLinkEndpoint>(ApiRole.Viewer, (e, c) => e.HandleAsync(c)));
        api.MapGet("/events", ApiEndpoint.For<CatalogEndpoints>(ApiRole.Viewer, (e, c) => e.ListEventsAsync(c)));
        api.MapGet("/devices", ApiEndpoint.For<CatalogEndpoints>(ApiRole.Viewer, (e, c) => e.ListDevicesAsync(c)));
        api.MapGet("/triggers/counts", ApiEndpoint.For<CatalogEndpoints>(ApiRole.Viewer, (e, c) => e.ListTriggerCountsAsync(c)));
        api.MapGet("/pulls", ApiEndpoint.For<PullEndpoints>(ApiRole.Viewer, (e, c) => e.ListAsync(c)));
        api.MapGet("/pulls/{pullId}", ApiEndpoint.For<PullEndpoints>(ApiRole.Viewer, (e, c) => e.GetAsync(c)));
        api.MapPost("/pulls", ApiEndpoint.For<PullEndpoints>(ApiRole.Operator, (e, c) => e.AddAsync(c)));
        api.MapPost("/pulls/{pullId}/cancel", ApiEndpoint.For<PullEndpoints>(ApiRole.Operator, (e, c) => e.CancelAsync(c)));
        api.MapPost("/datasets/reports", ApiEndpoint.For<DatasetReportEndpoints>(ApiRole.Operator, (e, c) => e.AddAsync(c)));
        api.MapGet("/datasets/reports", ApiEndpoint.For<DatasetReportEndpoints>(ApiRole.Viewer, (e, c) => e.ListAsync(c)));
        api.MapGet("/datasets/reports/{reportId}", ApiEndpoint.For<DatasetReportEndpoints>(ApiRole.Viewer, (e, c) => e.GetAsync(c)));
        api.MapPost("/triggers/push", ApiEndpoint.For<TriggerPushEndpoint>(ApiRole.Operator, (e, c) => e.HandleAsync(c)));
        api.MapModelApi();
        return app;
    }

    private static bool HasListenAddress(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["urls"]) || !string.IsNullOrEmpty(configuration["http_ports"]) ||
        !string.IsNullOrEmpty(configuration["https_ports"]) || configuration.GetSection("Kestrel:Endpoints").Exists();
}

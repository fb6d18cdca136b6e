using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.ObjectStore;
using DataCentric.Edge.FleetService.WebConsole;
using DataCentric.Edge.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.FleetService.Tests.Api;

/// <summary>
/// The fleet API on real Kestrel (127.0.0.1, a free port) over the catalog and object store a test
/// gives it, with one viewer token (in a file) and one operator token (as its SHA-256).
/// </summary>
public sealed class ApiUnderTest : IAsyncDisposable
{
    public const string ViewerToken = "viewer-token-0123456789abcdef";
    public const string OperatorToken = "operator-token-0123456789abcdef";

    private readonly WebApplication _app;

    private ApiUnderTest(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The host's services (the console's live feed, for tests that watch it).</summary>
    public IServiceProvider Services => _app.Services;

    public static async Task<ApiUnderTest> StartAsync(
        IFleetCatalog catalog, IClipObjectStore store, TempDirectory dir, TimeProvider? time = null, IDictionary<string, string?>? settings = null)
    {
        var tokenFile = dir.Combine("viewer.token");
        await File.WriteAllTextAsync(tokenFile, ViewerToken + "\n", TestContext.Current.CancellationToken);
        var config = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Api:Tokens:0:Name"] = "alice",
            ["Api:Tokens:0:Role"] = "viewer",
            ["Api:Tokens:0:TokenFile"] = tokenFile,
            ["Api:Tokens:1:Name"] = "olga",
            ["Api:Tokens:1:Role"] = "operator",
            ["Api:Tokens:1:TokenSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(OperatorToken))),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IFleetQueries>(catalog);
        builder.Services.AddSingleton<IPullRequests>(catalog);
        builder.Services.AddSingleton<IModelReleases>(catalog);
        builder.Services.AddSingleton<IDatasetReports>(catalog);
        builder.Services.AddSingleton<DataCentric.Edge.FleetService.Catalog.Comparison.IModelComparisons>(catalog);
        builder.Services.AddSingleton<FleetService.Catalog.Staging.IClipStaging>(catalog);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddFleetApi(builder.Configuration);
        builder.Services.AddFleetConsole(builder.Configuration);
        var app = builder.Build();
        app.MapFleetApi();
        app.MapFleetConsole();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new ApiUnderTest(app, new Uri(app.Urls.Single()));
    }

    /// <summary>A client of the API; with <paramref name="token"/> as its bearer token when given.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

using System.Security.Cryptography;
using System.Text;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.LiteDb;
using DataCentric.Edge.FleetService.ObjectStore;
using DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;
using DataCentric.Edge.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Cli.Tests;

/// <summary>A real dce-fleet API (Kestrel on 127.0.0.1, a free port) over a LiteDB catalog and a directory store, with a viewer token file.</summary>
internal sealed class FleetApiUnderTest : IAsyncDisposable
{
    private const string ViewerToken = "cli-viewer-token-0123456789";
    private const string OperatorToken = "cli-operator-token-0123456789";

    private readonly WebApplication _app;

    private FleetApiUnderTest(WebApplication app, TempDirectory dir, LiteDbFleetCatalog catalog, DirectoryClipObjectStore store)
    {
        _app = app;
        Dir = dir;
        Catalog = catalog;
        Store = store;
        Url = app.Urls.Single();
    }

    public TempDirectory Dir { get; }

    public LiteDbFleetCatalog Catalog { get; }

    public DirectoryClipObjectStore Store { get; }

    public string Url { get; }

    public string TokenFile => Dir.Combine("viewer.token");

    /// <summary>--api and --token-file for edgectl.</summary>
    public string[] Common => ["--api", Url, "--token-file", TokenFile];

    /// <summary>--api and an operator's --token-file.</summary>
    public string[] OperatorCommon => ["--api", Url, "--token-file", Dir.Combine("operator.token")];

    public static async Task<FleetApiUnderTest> StartAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = new TempDirectory("edgectl-api");
        await File.WriteAllTextAsync(dir.Combine("viewer.token"), ViewerToken + "\n", ct);
        await File.WriteAllTextAsync(dir.Combine("operator.token"), OperatorToken + "\n", ct);
        var catalog = new LiteDbFleetCatalog(dir.Combine("catalog.db"));
        var store = new DirectoryClipObjectStore(dir.Combine("objects"), TimeProvider.System, NullLogger<DirectoryClipObjectStore>.Instance);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Api:Tokens:0:Name"] = "vera",
            ["Api:Tokens:0:Role"] = "viewer",
            ["Api:Tokens:0:TokenSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ViewerToken))),
            ["Api:Tokens:1:Name"] = "otto",
            ["Api:Tokens:1:Role"] = "operator",
            ["Api:Tokens:1:TokenSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(OperatorToken))),
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IFleetQueries>(catalog);
        builder.Services.AddSingleton<IPullRequests>(catalog);
        builder.Services.AddSingleton<IModelReleases>(catalog);
        builder.Services.AddSingleton<IDatasetReports>(catalog);
        builder.Services.AddSingleton<DataCentric.Edge.FleetService.Catalog.Comparison.IModelComparisons>(catalog);
        builder.Services.AddSingleton<IClipObjectStore>(store);
        builder.Services.AddFleetApi(builder.Configuration);
        var app = builder.Build();
        app.MapFleetApi();
        await app.StartAsync(ct);
        return new FleetApiUnderTest(app, dir, catalog, store);
    }

    /// <summary>A clip of <paramref name="sizeBytes"/> random bytes, stored and catalogued.</summary>
    public async Task<byte[]> AddClipAsync(string clipId, string device, DateTimeOffset start, string trigger, int sizeBytes = 1000)
    {
        var bytes = RandomNumberGenerator.GetBytes(sizeBytes);
        await AddClipAsync(clipId, device, start, [trigger], bytes, frameCount: 100, end: start.AddSeconds(20));
        return bytes;
    }

    /// <summary>A clip's bytes as the fleet holds them: in the store, and a row in the catalog.</summary>
    public async Task AddClipAsync(string clipId, string device, DateTimeOffset start, IReadOnlyList<string> triggers, byte[] bytes, int frameCount, DateTimeOffset end)
    {
        var ct = TestContext.Current.CancellationToken;
        var key = ClipObjectKeys.For(string.Empty, "acme", device, start, clipId);
        using var content = new MemoryStream(bytes);
        var digest = await Store.PutAsync(key, content, new ClipObjectMetadata(clipId, triggers, null), ct);
        await Catalog.AddClipAsync(
            new CatalogClip(clipId, "acme", device, clipId + ".mcap", bytes.Length, digest.Sha256, key, 5, triggers, null, frameCount, start, end, start.AddMinutes(1)), ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        Catalog.Dispose();
        Dir.Dispose();
    }
}

using System.Text.Json;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.LiteDb;
using DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.FleetService.Tests.Api;

/// <summary>Each test: the API on real Kestrel over a real LiteDB catalog and a real directory object store.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("dce-fleet-api");
    private ApiUnderTest? _api;

    protected LiteDbFleetCatalog Catalog { get; private set; } = null!;

    protected DirectoryClipObjectStore Store { get; private set; } = null!;

    /// <summary>The API's clock (link expiry); starts at the real now.</summary>
    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected ApiUnderTest Api => _api ?? throw new InvalidOperationException("Not started.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Configuration keys the test class adds to the API's (none by default).</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public async ValueTask InitializeAsync()
    {
        Catalog = new LiteDbFleetCatalog(_dir.Combine("catalog.db"));
        Store = new DirectoryClipObjectStore(_dir.Combine("objects"), TimeProvider.System, NullLogger<DirectoryClipObjectStore>.Instance);
        _api = await ApiUnderTest.StartAsync(Catalog, Store, _dir, Time, Settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        Catalog.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return document.RootElement.Clone();
    }

    /// <summary>The problem details' detail of an error answer, after checking its status and media type.</summary>
    protected static async Task<string> ProblemAsync(HttpResponseMessage response, System.Net.HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("detail").GetString()!;
    }
}

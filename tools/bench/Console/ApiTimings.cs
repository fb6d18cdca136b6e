using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace DataCentric.Edge.Bench.Console;

/// <summary>
/// The API calls the console's pages make, each timed from the HTTP client on loopback (request sent to
/// the last byte read): what the server takes per call, plus a loopback round trip.
/// </summary>
internal static class ApiTimings
{
    /// <param name="firstUnopened">The index of the first clip no earlier call opened (the cold frames calls start there).</param>
    public static async Task<List<Timings>> RunAsync(FleetUnderBench fleet, CatalogSeed.Seeded seeded, int runs, int firstUnopened, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = fleet.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fleet.Token);
        var sample = seeded.Clips[seeded.Clips.Count / 2];
        var week = seeded.Clips[^1].StartWall;
        var window = $"from={Iso(sample.StartWall.AddHours(-6))}&to={Iso(sample.StartWall)}";
        var nextCursor = await FirstPageNextAsync(http, cancellationToken);

        var calls = new (string Name, Func<int, string> Path)[]
        {
            ("GET /api/clips?limit=50 (clips page, first page)", _ => "/api/clips?limit=50"),
            ("GET /api/clips?limit=50&after= (next page)", _ => $"/api/clips?limit=50&after={Uri.EscapeDataString(nextCursor)}"),
            ("GET /api/clips?device= (one device)", i => $"/api/clips?limit=50&device={seeded.Devices[i % seeded.Devices.Count]}"),
            ("GET /api/clips?trigger= (one trigger)", _ => $"/api/clips?limit=50&trigger={Uri.EscapeDataString(sample.TriggerIds[0])}"),
            ("GET /api/clips?model= (one model)", _ => $"/api/clips?limit=50&model={sample.ModelSha256}"),
            ("GET /api/clips?from&to (6 h window)", _ => $"/api/clips?limit=50&{window}"),
            ("GET /api/clips?device&trigger&from&to", i => $"/api/clips?limit=50&device={seeded.Devices[i % seeded.Devices.Count]}&trigger={Uri.EscapeDataString(sample.TriggerIds[0])}&from={Iso(week)}"),
            ("GET /api/clips/{id}", i => $"/api/clips/{seeded.Clips[i * 37].ClipId}"),
            ("GET /api/console/devices (fleet page)", _ => "/api/console/devices"),
            ("GET /api/clips/{id}/frames (cold: clip not cached)", i => $"/api/clips/{seeded.Clips[firstUnopened + i].ClipId}/frames"),
            ("GET /api/clips/{id}/frames (warm)", i => $"/api/clips/{seeded.Clips[firstUnopened + i].ClipId}/frames"),
            ("GET /api/clips/{id}/frames/0 (first frame, warm)", i => $"/api/clips/{seeded.Clips[firstUnopened + i].ClipId}/frames/0"),
        };
        var results = new List<Timings>();
        foreach (var (name, path) in calls)
        {
            var timings = new Timings(name);
            _ = await GetAsync(http, path(runs), cancellationToken); // warm the connection and the statement, not the clip
            for (var i = 0; i < runs; i++)
            {
                timings.Add(await GetAsync(http, path(i), cancellationToken));
            }

            results.Add(timings);
        }

        return results;
    }

    private static async Task<TimeSpan> GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var elapsed = clock.Elapsed;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return elapsed;
    }

    private static async Task<string> FirstPageNextAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var page = await http.GetFromJsonAsync("/api/clips?limit=50", DataCentric.Edge.Fleet.Api.FleetApiJsonContext.Default.ApiPageApiClip, cancellationToken);
        return page?.Next ?? throw new InvalidOperationException("the first page of clips has no next page: the catalog was not seeded");
    }

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
}

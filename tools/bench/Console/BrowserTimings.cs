using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace DataCentric.Edge.Bench.Console;

/// <summary>
/// The console's pages in Debian's chromium (Playwright cannot download its own browser here). Every run is a
/// new browser context (empty cache, a signed-in session put in its sessionStorage), timed from the
/// navigation to the moment the page shows what it is for: the clips page's first row, the clip view's
/// first frame decoded in its &lt;img&gt;. Playwright's wall clock and the page's own performance.now()
/// (from navigation start) are both reported.
/// </summary>
internal static class BrowserTimings
{
    private const string FirstFrameShown = "() => { const i = document.querySelector('#frame'); return !!(i && i.getAttribute('src') && i.complete && i.naturalWidth > 0); }";

    public static async Task<List<Timings>> RunAsync(FleetUnderBench fleet, CatalogSeed.Seeded seeded, BenchOptions options)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = FindChromium(),
            Args = ["--no-sandbox", "--disable-gpu"],
        });
        var session = JsonSerializer.Serialize(new Dictionary<string, string> { ["name"] = "bench", ["role"] = "Operator" });
        var signIn = $"sessionStorage.setItem('dce.console.token', {JsonSerializer.Serialize(fleet.Token)}); sessionStorage.setItem('dce.console.session', {JsonSerializer.Serialize(session)});";
        Directory.CreateDirectory(options.Out);

        var shellWall = new Timings("sign-in page shown (Playwright)");
        var clipsWall = new Timings("clips page: first row shown (Playwright)");
        var clipsPage = new Timings("clips page: first row shown (page performance.now)");
        var clipWall = new Timings("clip view: first frame shown (Playwright)");
        var clipPage = new Timings("clip view: first frame shown (page performance.now)");
        // One unmeasured run of each warms chromium's own start-up, then the measured runs.
        for (var run = -1; run < options.Runs; run++)
        {
            // Baseline: the page itself (HTML, CSS, the ES modules), no API call.
            var (shell, _) = await TimeAsync(browser, string.Empty, new Uri(fleet.Url, "/console/#/signin"), "() => !!document.querySelector('#token')", null);
            if (run >= 0)
            {
                shellWall.Add(shell);
            }

            var (wall, page) = await TimeAsync(browser, signIn, new Uri(fleet.Url, "/console/#/clips"), "() => !!document.querySelector('#clips tr[data-clip]')",
                run == 0 ? Path.Combine(options.Out, "clips.png") : null);
            if (run >= 0)
            {
                clipsWall.Add(wall);
                clipsPage.Add(page);
            }

            // A clip no earlier call opened: the server reads it from the object store and decodes it.
            var clip = seeded.Clips[5000 + run + 1];
            (wall, page) = await TimeAsync(browser, signIn, new Uri(fleet.Url, $"/console/#/clip/{clip.ClipId}"), FirstFrameShown,
                run == 0 ? Path.Combine(options.Out, "clip.png") : null);
            if (run >= 0)
            {
                clipWall.Add(wall);
                clipPage.Add(page);
            }
        }

        return [shellWall, clipsWall, clipsPage, clipWall, clipPage];
    }

    private static async Task<(TimeSpan Wall, double Page)> TimeAsync(IBrowser browser, string signIn, Uri url, string shown, string? screenshot)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        if (signIn.Length > 0)
        {
            await context.AddInitScriptAsync(signIn);
        }
        var page = await context.NewPageAsync();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(url.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        // The page's clock is read in the same poll that sees the condition (0 is falsy: keep polling).
        var when = await page.WaitForFunctionAsync($"() => ({shown})() ? performance.now() : 0", null, new PageWaitForFunctionOptions { PollingInterval = 5, Timeout = 30_000 });
        var wall = clock.Elapsed;
        var inPage = await when.JsonValueAsync<double>();
        if (screenshot is not null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        }

        return (wall, inPage);
    }

    private static string FindChromium()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("chromium is not on PATH: apt-get install chromium (Playwright cannot download its own browser here)");
    }
}

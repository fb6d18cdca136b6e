using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.FleetService.Tests.Catalog;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataCentric.Edge.FleetService.Tests.WebConsole;

/// <summary>The console's #/models/{name}/compare section in a real browser, over the API and a real LiteDB catalog holding <see cref="ComparisonScenario"/>.</summary>
[Trait("Category", "Integration")]
public sealed class ModelCompareConsoleTests : ApiTestBase
{
    private const int EventsPerHour = 5;
    private const int BoxPrecision = 8;
    private const int Reviewed = 13;

    [Fact]
    public async Task ComparePage_ShowsEachVersionsRatesAndReviews_AndABadWindowSaysWhichField()
    {
        await ComparisonScenario.WriteAsync(Catalog, Ct);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions { ExecutablePath = ConsoleRig.FindChromium(), Args = ["--no-sandbox", "--disable-gpu"] });
        var page = await browser.NewPageAsync();
        SetDefaultExpectTimeout(15_000);
        await page.GotoAsync(new Uri(Api.BaseAddress, "/console/#/signin").ToString());
        await page.FillAsync("#token", ApiUnderTest.ViewerToken);
        await page.ClickAsync("#signin button[type=submit]");
        await page.WaitForSelectorAsync("#fleet-summary");

        await page.GotoAsync(new Uri(Api.BaseAddress, "/console/#/models/det/compare?fleet=acme").ToString());

        var v1 = page.Locator("#compare-versions tr[data-version='1'] td");
        var v2 = page.Locator("#compare-versions tr[data-version='2'] td");
        await Expect(v1.Nth(EventsPerHour)).ToHaveTextAsync("1.2");
        await Expect(v1.Nth(Reviewed)).ToHaveTextAsync("no import report");
        await Expect(v2.Nth(EventsPerHour)).ToHaveTextAsync("1");
        await Expect(v2.Nth(BoxPrecision)).ToHaveTextAsync("75.0 %");
        await Expect(v2.Nth(Reviewed)).ToHaveTextAsync("20 frames (b.1, a.new)");
        await Expect(page.Locator("#compare-triggers tr[data-version='2'][data-trigger='swerve'] td").Nth(4)).ToHaveTextAsync("0.5");
        await Expect(page.Locator("#compare-exposure")).ToContainTextAsync("exposureHours = device-hours");
        Directory.CreateDirectory(ConsoleRig.ScreensDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleRig.ScreensDirectory, "model-compare.png"), FullPage = true });

        await page.FillAsync("#c-from", "2026-12-05T12:00:00Z");
        await page.FillAsync("#c-to", "2026-12-05T11:00:00Z");
        await page.ClickAsync("#compare-filters button[type=submit]");
        await Expect(page.Locator("#compare-status [role=alert]")).ToContainTextAsync("The comparison cannot run: query parameter 'to'");

        await page.GotoAsync(new Uri(Api.BaseAddress, "/console/#/models/nope/compare").ToString());
        await Expect(page.Locator("#compare-status [role=alert]")).ToContainTextAsync("no device reported model 'nope'");
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.Pulls;

/// <summary>
/// The pull page and the fleet page's group filter in Debian's chromium against a real dce-fleet whose operator link
/// reaches dev-a's own command handlers (<see cref="PullConsoleRig"/>). Assertions read what the page shows.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PullConsoleBrowserTests(PullConsoleRig rig) : IClassFixture<PullConsoleRig>
{
    [Fact]
    public async Task Operator_AsksForAWindow_SeesItArrive_IsToldAboutAnOfflineDeviceAndAGoneWindow_AndCancels()
    {
        var page = await rig.OpenAsync(rig.OlgaToken, "#/pulls");
        var message = page.Locator("#pull-message");
        await Expect(page.Locator("#around-fields")).ToBeHiddenAsync(); // an absolute window by default

        // Bad input: the service names the field, and nothing joins the queue (other tests of this class may have filled it).
        var queued = await rig.PullCountAsync();
        await page.SelectOptionAsync("#pull-device", PullConsoleRig.Online);
        await page.FillAsync("#pull-from", "yesterday");
        await page.FillAsync("#pull-to", "2026-12-05T10:00:30Z");
        await page.ClickAsync("#pull-form button[type=submit]");
        await Expect(message.Locator(".error")).ToContainTextAsync("body field 'from': 'yesterday' is not a time");
        await page.FillAsync("#pull-from", "2026-12-05T10:01:00Z");
        await page.ClickAsync("#pull-form button[type=submit]");
        await Expect(message.Locator(".error")).ToContainTextAsync("body field 'to': 2026-12-05T10:00:30.0000000+00:00 is not after 'from'");
        await Expect(page.Locator("#pulls tr[data-pull]")).ToHaveCountAsync(queued);
        Assert.Equal(queued, await rig.PullCountAsync());

        // A window dev-a holds: its own handlers queue the clip, its uploader sends it, the queue shows it received.
        await page.FillAsync("#pull-from", "2026-12-05T09:59:30Z");
        await page.FillAsync("#pull-priority", "7");
        await page.ClickAsync("#pull-form button[type=submit]");
        await Expect(message).ToContainTextAsync($"of {PullConsoleRig.Online}, 2026-12-05 09:59:30Z to 2026-12-05 10:00:30Z");
        var held = Row(page, PullConsoleRig.Online, "09:59:30Z");
        await Expect(held.Locator(".progress")).ToContainTextAsync("1 clip received");
        // Sent by this pull, or (when the clip-view test pulled it first) listed by the device as acknowledged already.
        await Expect(held).ToHaveAttributeAsync("data-state", new Regex("^(sent|completed)$"));
        await Expect(held.Locator(".detail")).ToHaveTextAsync(new Regex("^(1 clip queued|nothing to upload: the 1 clips in the window are already acknowledged)$"));

        // A window dev-a no longer holds: no stored clip lists it, and its own pullWindow handler says what it does hold.
        await page.FillAsync("#pull-from", "2026-12-04T10:00:00Z");
        await page.FillAsync("#pull-to", "2026-12-04T10:01:00Z");
        await page.ClickAsync("#pull-form button[type=submit]");
        var gone = Row(page, PullConsoleRig.Online, "2026-12-04");
        await Expect(gone).ToHaveAttributeAsync("data-state", "failed");
        await Expect(gone.Locator(".gone")).ToContainTextAsync("The device no longer holds any of this window");
        await Expect(gone.Locator(".detail")).ToContainTextAsync("is left on this device: it holds stored clips from 2026-12-05");

        // dev-b is offline: the pull waits at the service, and the page says so.
        await page.SelectOptionAsync("#pull-device", PullConsoleRig.Offline);
        await page.FillAsync("#pull-from", "2026-12-05T10:00:00Z");
        await page.FillAsync("#pull-to", "2026-12-05T10:00:40Z");
        await page.ClickAsync("#pull-form button[type=submit]");
        await Expect(page.Locator("#offline-notice")).ToContainTextAsync($"{PullConsoleRig.Offline} is offline");
        var waiting = Row(page, PullConsoleRig.Offline, "10:00:40Z");
        await Expect(waiting).ToHaveAttributeAsync("data-state", "requested");
        await Expect(waiting.Locator(".waiting-note")).ToContainTextAsync("waiting at the service until it returns");
        await Expect(waiting.Locator(".detail")).ToContainTextAsync("device not listening");
        await ConsoleRig.ScreenshotAsync(page, "pulls.png");

        // Cancel: withdrawn at the service, said plainly; the live stream keeps the row cancelled.
        await waiting.Locator("button[data-cancel]").ClickAsync();
        await Expect(waiting).ToHaveAttributeAsync("data-state", "cancelled");
        await Expect(waiting.Locator(".detail")).ToContainTextAsync("withdrawn at the service only: the device has no cancel command");
        await Expect(waiting.Locator("button[data-cancel]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#pulls-live")).ToHaveTextAsync("live");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ClipView_PullAroundAnEvent_FillsTheWindowAroundIt()
    {
        var page = await rig.OpenAsync(rig.OlgaToken, "#/pulls");
        await page.FillAsync("#pull-from", "2026-12-05T09:59:50Z");
        await page.FillAsync("#pull-to", "2026-12-05T10:00:10Z");
        await page.ClickAsync("#pull-form button[type=submit]");
        await Expect(Row(page, PullConsoleRig.Online, "09:59:50Z").Locator(".progress")).ToContainTextAsync("1 clip received");

        await page.GotoAsync(new Uri(rig.BaseAddress, $"/console/#/clip/{PullConsoleRig.ClipId}").ToString());
        await page.ClickAsync("#events a.pull-around");
        await Expect(page.Locator("#mode-around")).ToBeCheckedAsync();
        await Expect(page.Locator("#window-fields")).ToBeHiddenAsync();
        await Expect(page.Locator("#pull-at")).ToHaveValueAsync(new Regex(@"^2026-12-05T10:00:00\.6"));
        await Expect(page.Locator("#pull-before")).ToHaveValueAsync("2");
        await Expect(page.Locator("#pull-after")).ToHaveValueAsync("1");
        await page.ClickAsync("#pull-form button[type=submit]");
        await Expect(Row(page, PullConsoleRig.Online, "09:59:58Z")).ToContainTextAsync("10:00:01Z");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Viewer_SeesTheQueue_ButCannotAskOrCancel()
    {
        var page = await rig.OpenAsync(rig.VeraToken, "#/pulls");
        await Expect(page.Locator("#pull-form button[type=submit]")).ToBeDisabledAsync();
        await Expect(page.Locator("#pull-form")).ToContainTextAsync("needs an operator token");
        await Expect(page.Locator("#pulls button[data-cancel]")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Fleet_FiltersByTheGroupsDevicesAnnounce()
    {
        var page = await rig.OpenAsync(rig.VeraToken, "#/fleet");
        await Expect(page.Locator("#fleet-summary")).ToHaveTextAsync("2 of 2 devices shown, 1 online.");

        await page.SelectOptionAsync("#group-filter", "night-shift");
        await Expect(page.Locator("#fleet-summary")).ToHaveTextAsync("1 of 2 devices shown, 1 online.");
        await Expect(page.Locator($"#devices tr[data-device='{PullConsoleRig.Online}']")).ToContainTextAsync("night-shift");
        await Expect(page.Locator($"#devices tr[data-device='{PullConsoleRig.Offline}']")).ToHaveCountAsync(0);
        await ConsoleRig.ScreenshotAsync(page, "fleet-groups.png");

        await page.SelectOptionAsync("#group-filter", "day-shift");
        await Expect(page.Locator("#fleet-summary")).ToHaveTextAsync("1 of 2 devices shown, 0 online.");
        Assert.EndsWith("#/fleet?group=day-shift", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    private static ILocator Row(IPage page, string device, string windowText) =>
        page.Locator("#pulls tr[data-pull]").Filter(new LocatorFilterOptions { HasText = device }).Filter(new LocatorFilterOptions { HasText = windowText });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}

using Microsoft.Playwright;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.Triggers;

/// <summary>
/// The Triggers page and the editor in Debian's chromium against a real dce-fleet, mosquitto and a device-like
/// client whose own remote-config handler verifies and acks what is pushed (<see cref="TriggerConsoleRig"/>).
/// Assertions read what the page shows, never pixels.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TriggerConsoleBrowserTests(TriggerConsoleRig rig) : IClassFixture<TriggerConsoleRig>
{
    [Fact]
    public async Task Editor_ShowsAnErrorAtItsLine_Backtests_ThenASecondOperatorApproves_AndTheDevicesAckArrives()
    {
        var olga = await rig.OpenAsync(rig.OlgaToken, "#/editor");
        await Expect(olga.Locator("#signals-from")).ToHaveValueAsync($"device:{TriggerConsoleRig.Fleet}/{TriggerConsoleRig.Device}");

        // A typo: the device announces primary.speed, not primary.speeed. The error shows at line 5, as you type.
        var typo = TriggerSamples.Set(7).Replace("shadow.obstacle > 0.35", "shadow.obstacle > 0.35 and primary.speeed > 1", StringComparison.Ordinal);
        await olga.FillAsync("#set-text", typo);
        await Expect(olga.Locator("#verdict")).ToHaveAttributeAsync("data-valid", "false");
        await Expect(olga.Locator("#editor-lens [data-line='5'] .lens-note")).ToContainTextAsync("primary.speeed");
        await Expect(olga.Locator("#editor-lens [data-line='5'] .lens-note")).ToContainTextAsync("did you mean 'primary.speed'?");
        await Expect(olga.Locator("#editor-lens .lens-note")).ToHaveCountAsync(1);
        await Expect(olga.Locator("#problems li").First).ToContainTextAsync("5:");
        await ConsoleRig.ScreenshotAsync(olga, "editor-error.png");

        await olga.FillAsync("#set-text", TriggerSamples.Set(7));
        await Expect(olga.Locator("#verdict")).ToHaveAttributeAsync("data-valid", "true");
        await Expect(olga.Locator("#verdict")).ToContainTextAsync("version 7, 1 trigger(s), checked against device fleet1/dev-a");
        await Expect(olga.Locator("#editor-lens .lens-note")).ToHaveCountAsync(0);

        // Backtest on the two clips dev-a uploaded: one fire each, on a timeline.
        await olga.ClickAsync("#bt-run");
        var figures = olga.Locator("#bt-result tr[data-trigger='obstacle_seen'] td");
        await Expect(figures.Nth(1)).ToHaveTextAsync("2");
        await Expect(olga.Locator("#bt-result .timeline")).ToHaveAttributeAsync("data-fires", "2");
        await ConsoleRig.ScreenshotAsync(olga, "editor-backtest.png");

        // Signed on the operator's machine (as edgectl triggers sign does), uploaded; the uploader cannot approve it.
        await Expect(olga.Locator("#sign-command")).ToContainTextAsync("edgectl triggers sign triggers-v7.yaml --key fleet.key --target device:");
        await olga.FillAsync("#envelope", rig.Sign(TriggerSamples.Set(7), 7));
        await olga.ClickAsync("#upload");
        await Expect(olga.Locator("#upload-status")).ToContainTextAsync("waiting for a second operator");
        await olga.ClickAsync("#proposals li[data-state='pending'] .review");
        await olga.ClickAsync("#approve");
        await Expect(olga.Locator("#review-status .error")).ToContainTextAsync("a second operator must approve it");

        // The second operator reviews the diff and approves; dev-a verifies the signature and acks, live.
        var oscar = await rig.OpenAsync(rig.OscarToken, "#/editor");
        await oscar.ClickAsync("#proposals li[data-state='pending'] .review");
        await Expect(oscar.Locator("#review-diff")).ToHaveAttributeAsync("data-changed", "9");
        await Expect(oscar.Locator("#review-diff td.added").First).ToHaveTextAsync("schemaVersion: 1");
        await ConsoleRig.ScreenshotAsync(oscar, "editor-review.png");
        await oscar.ClickAsync("#approve");
        await Expect(oscar.Locator("#review-status")).ToContainTextAsync("Published v7 on dce/v1/fleet1/dev-a/config/triggers");
        var ack = oscar.Locator($"#ack-table tr[data-device='{TriggerConsoleRig.Device}']");
        await Expect(ack).ToHaveAttributeAsync("data-ack", "accepted");
        await Expect(ack.Locator("td").Nth(1)).ToHaveTextAsync("v7 accepted");
        Assert.Equal(7, rig.Active.Current.Version);
        await ConsoleRig.ScreenshotAsync(oscar, "editor-ack.png");

        // Compare the published v7 with a tighter edit in the editor: the diff and each one's backtest.
        await oscar.FillAsync("#set-text", TriggerSamples.Set(8, maxPerHour: 5));
        await Expect(oscar.Locator("#verdict")).ToContainTextAsync("version 8");
        await Expect(oscar.Locator("#sign-command")).ToContainTextAsync("edgectl triggers sign triggers-v8.yaml");
        await oscar.SelectOptionAsync("#compare-b", "editor");
        await oscar.ClickAsync("#compare-run");
        await Expect(oscar.Locator("#compare-diff")).ToHaveAttributeAsync("data-changed", "4");
        await Expect(oscar.Locator("#compare-a-result [data-state='done']")).ToHaveCountAsync(1);
        await Expect(oscar.Locator("#compare-b-result [data-state='done']")).ToHaveCountAsync(1);
        await Expect(oscar.Locator("#compare-result")).Not.ToContainTextAsync("null");
        await ConsoleRig.ScreenshotAsync(oscar, "editor-compare.png");

        // The Triggers page: fires per hour with suppressions stacked, and the budget v7 allows.
        await oscar.GotoAsync(new Uri(rig.BaseAddress, "/console/#/triggers?fleet=fleet1&window=24h").ToString());
        var plot = oscar.Locator("#trigger-plots [data-trigger='obstacle_seen']");
        await Expect(plot.Locator("canvas")).Not.ToHaveCountAsync(0);
        await Expect(plot.Locator(".u-legend")).ToContainTextAsync("suppressed: budget");
        await Expect(plot).ToHaveAttributeAsync("data-fires", "7");
        var budget = oscar.Locator($"#budgets tr[data-trigger='obstacle_seen'][data-device='{TriggerConsoleRig.Device}'] td");
        await Expect(budget.Nth(2)).ToHaveTextAsync("7");
        await Expect(budget.Nth(3)).ToHaveTextAsync("20");
        await Expect(budget.Nth(4)).ToHaveTextAsync("2");
        await ConsoleRig.ScreenshotAsync(oscar, "triggers.png");

        // Phone width: nothing wider than the screen.
        await oscar.SetViewportSizeAsync(390, 844);
        await oscar.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth");
        await ConsoleRig.ScreenshotAsync(oscar, "triggers-phone.png");
        await oscar.GotoAsync(new Uri(rig.BaseAddress, "/console/#/editor").ToString());
        await Expect(oscar.Locator("#verdict")).ToHaveAttributeAsync("data-valid", "true");
        await oscar.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth");
        await ConsoleRig.ScreenshotAsync(oscar, "editor-phone.png");
        await olga.Context.CloseAsync();
        await oscar.Context.CloseAsync();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}

using DataCentric.Edge.Core.Contracts;
using static Microsoft.Playwright.Assertions;

namespace DataCentric.Edge.FleetService.Tests.WebConsole;

/// <summary>
/// The Fleet page's model column in a real browser against a real dce-fleet: the device's own
/// connection publishes retained ModelReleaseAck messages through mosquitto (TLS, ACL), the tracker
/// stores them, and the open page follows live; the reason opens on a phone-sized screen.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConsoleModelColumnTests(ConsoleRig rig) : IClassFixture<ConsoleRig>
{
    private const int ModelColumn = 5;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ModelColumn_ShowsTheRunningVersion_ThenALiveRollbackWithItsReason_AlsoAtPhoneWidth()
    {
        var page = await rig.OpenAsync(rig.ViewerToken, width: 390, height: 844);
        var row = page.Locator($"#devices tr[data-device='{ConsoleRig.Device}']");
        await Expect(row).ToContainTextAsync("online");
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
        var cell = row.Locator("td").Nth(ModelColumn);

        await PublishAsync(2, ModelReleaseStage.Active, activeVersion: 2, []);
        await Expect(cell).ToHaveTextAsync("obstacle-detector@v2");

        await PublishAsync(3, ModelReleaseStage.Probation, activeVersion: 2, []);
        await Expect(cell).ToHaveTextAsync("obstacle-detector@v2 · v3 in probation");

        await PublishAsync(3, ModelReleaseStage.RolledBack, activeVersion: 2, [new ModelReleaseAckReason("overLatencyBudget", "p95 412 ms is over the 40 ms budget")]);
        var model = cell.Locator("[data-model='obstacle-detector']");
        await Expect(model.Locator(".step")).ToHaveTextAsync(" · v3 rolled back");
        await Expect(model).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("overLatencyBudget: p95 412 ms is over the 40 ms budget"));
        var why = model.Locator("details.why");
        await Expect(why.Locator("div")).Not.ToBeVisibleAsync();
        await why.Locator("summary").ClickAsync();
        await Expect(why.Locator("div")).ToHaveTextAsync("overLatencyBudget: p95 412 ms is over the 40 ms budget");
        await Expect(why.Locator("div")).ToBeVisibleAsync();
        await ConsoleRig.ScreenshotAsync(page, "fleet-model-phone.png");

        // A reload reads the same from the catalog (the devices API), not only from the live feed.
        await page.ReloadAsync();
        await Expect(page.Locator($"#devices tr[data-device='{ConsoleRig.Device}'] td").Nth(ModelColumn)).ToContainTextAsync("obstacle-detector@v2 · v3 rolled back");
        await page.Context.CloseAsync();
    }

    private async Task PublishAsync(int version, ModelReleaseStage stage, int activeVersion, ModelReleaseAckReason[] reasons)
    {
        var ack = new ModelReleaseAck(
            ConsoleRig.Fleet, ConsoleRig.Device, "obstacle-detector", version, Sha(version), stage, reasons, activeVersion, Sha(activeVersion), DateTimeOffset.UtcNow)
        {
            Probation = stage == ModelReleaseStage.Probation ? null : new ModelProbationReport(200, 0, 30, version == 3 ? 412 : 31, 300_000_000, 536_870_912),
        };
        var published = await rig.DeviceLink.PublishJsonAsync($"{rig.DeviceLink.Topics.Prefix}/models/obstacle-detector/ack", ack, retain: true, Ct);
        Assert.True(published.IsSuccess, published.ReasonString);
    }

    private static string Sha(int version) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([(byte)version]));
}

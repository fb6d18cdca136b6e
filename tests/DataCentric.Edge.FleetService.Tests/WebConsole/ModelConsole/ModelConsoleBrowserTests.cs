using DataCentric.Edge.Core.Contracts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole;

/// <summary>
/// The Models page in Debian's chromium against dce-fleet fed by the devices' own model acks: a staged rollout
/// started from envelopes signed off the service, the canary's probation figures arriving live, promote to the
/// other device's group, the halt that device's rollback causes, a confirmed rollback of the canary, and what a
/// viewer may not do. Screenshot: models.png.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelConsoleBrowserTests(ModelConsoleRig rig) : IClassFixture<ModelConsoleRig>, IDisposable
{
    public void Dispose() => rig.ReportFleetLogIfFailed();

    [Fact]
    public async Task Rollout_CanaryAcceptsLive_PromoteHaltsOnTheGroupsRollback_ThenTheCanaryIsRolledBackAfterAConfirm()
    {
        var canary = rig.Canary;
        var other = rig.Other;
        var canaryFile = await rig.SignAsync(new TriggerSetTarget(TargetScope.Device, canary), 2, $"{canary}.json");
        var groupFile = await rig.SignAsync(new TriggerSetTarget(TargetScope.Group, ModelConsoleRig.Group), 2, "group-yard.json");
        var fleetFile = await rig.SignAsync(new TriggerSetTarget(TargetScope.Fleet, null), 2, "fleet.json");
        await rig.PublishChunksAsync();
        var page = await rig.OpenAsync(rig.OperatorToken, $"#/models/{ModelConsoleRig.Name}?fleet={ModelConsoleRig.Fleet}");

        // Nothing reported yet; the compare section is one link away.
        await Expect(page.Locator("#model-versions")).ToContainTextAsync($"No device of {ModelConsoleRig.Fleet} reported model 'det' yet.");
        await Expect(page.Locator("#compare-link")).ToHaveAttributeAsync("href", "#/models/det/compare?fleet=fleet1");
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");

        // The service picks the canaries and prints the signing lines; the operator uploads what edgectl wrote.
        await page.FillAsync("#canary-percent", "50");
        await page.FillAsync("#release-version", "2");
        await page.FillAsync("#wide-target", $"group:{ModelConsoleRig.Group}, fleet");
        await page.ClickAsync("#pick-canaries");
        var commands = page.Locator("#rollout-commands");
        await Expect(commands).ToContainTextAsync($"edgectl models sign det.onnx --name det --version 2 --key fleet.key --fleet fleet1 --target device:{canary} --out canary/{canary}.json");
        await Expect(commands).ToContainTextAsync("--target group:yard --out group-yard.json");
        await Expect(commands).ToContainTextAsync("--target fleet --out fleet.json");
        await Expect(commands).ToContainTextAsync($"edgectl models push canary/{canary}.json det.onnx");
        await Expect(commands).Not.ToContainTextAsync($"device:{other}");
        await Expect(page.Locator("#push-command")).ToContainTextAsync("edgectl models push release.json det.onnx");
        await page.Locator("input.stage-file").Nth(0).SetInputFilesAsync(canaryFile);
        await page.Locator("input.stage-file").Nth(1).SetInputFilesAsync(groupFile);
        await page.ClickAsync("#add-stage");
        await page.Locator("input.stage-file").Nth(2).SetInputFilesAsync(fleetFile);
        await page.ClickAsync("#start-rollout");
        await Expect(page.Locator("#start-status")).ToContainTextAsync($"started: its canaries (device:{canary}) have their release");

        // The canary downloads, passes probation and swaps: its figures arrive through the live feed.
        var rollout = page.Locator("section.rollout").First;
        var canaryStep = rollout.Locator($"tr[data-stage='0'] .stage-device[data-device='{canary}']");
        await Expect(canaryStep).ToHaveAttributeAsync("data-step", "active");
        await Expect(canaryStep).ToContainTextAsync("p95 14.8 ms, RSS 180.0 MiB of 512.0 MiB, 30 frames");
        var running = page.Locator($"section.version[data-version='2'] tr[data-device='{canary}']");
        await Expect(running).ToHaveAttributeAsync("data-step", "running");
        await Expect(running).ToContainTextAsync("11.2 / 14.8 ms");
        await Expect(rollout).ToHaveAttributeAsync("data-state", "running");

        // Promote to the group: the other device rolls back on latency, and the rollout halts saying so before the fleet stage.
        await Expect(rollout.Locator("button.promote")).ToHaveTextAsync("Promote to group:yard");
        await rollout.Locator("button.promote").ClickAsync();
        await Expect(page.Locator(".halt-reason-text")).ToContainTextAsync(
            $"Halted because {other} rolled back det v2: overLatencyBudget: p95 412.0 ms over the release's 40 ms budget x 1.5");
        await Expect(page.Locator("section.rollout").First).ToHaveAttributeAsync("data-state", "halted");
        await Expect(page.Locator($"section.version[data-version='2'] tr[data-device='{other}']")).ToHaveAttributeAsync("data-step", "rolledBack");
        await Expect(page.Locator("section.rollout button.promote")).ToHaveCountAsync(0);
        await Expect(page.Locator("section.rollout tr[data-stage='2']")).ToContainTextAsync("not yet");
        await ConsoleRig.ScreenshotAsync(page, "models.png");

        // Rollback of the canary: a confirm step first, then the device's own command; its ack arrives live.
        await running.Locator("button.rollback").ClickAsync();
        await Expect(running.Locator(".confirm")).ToContainTextAsync($"Roll {canary} back from det v2 to the model it ran before?");
        Assert.Empty(rig.CanaryDevice.Activator.Rollbacks);
        await running.Locator("button.confirm-rollback").ClickAsync();
        await Expect(running.Locator(".rollback-status")).ToContainTextAsync($"{canary}: det v2 rolled back; the model file of its own configuration runs");
        Assert.Equal(["det"], rig.CanaryDevice.Activator.Rollbacks);
        var rolledBack = page.Locator($"section.version[data-version='2'] tr[data-device='{canary}']");
        await Expect(rolledBack).ToHaveAttributeAsync("data-step", "rolledBack");
        await Expect(rolledBack).ToContainTextAsync("rollbackCommand: rolled back by a fleet manager");

        // The models list: both devices are back on their configured file, both last releases failed.
        await page.GotoAsync(new Uri(rig.BaseAddress, "/console/#/models").ToString());
        await Expect(page.Locator("#model-list tr[data-model='det']")).ToContainTextAsync("configured file on 2");
        await Expect(page.Locator("#model-list tr[data-model='det']")).ToContainTextAsync("2 device(s) refused or rolled back its last release");
    }

    [Fact]
    public async Task Halt_WithAReason_StopsTheRollout_AndSaysWhoHaltedItAndWhy()
    {
        var canaryFile = await rig.SignAsync(new TriggerSetTarget(TargetScope.Device, rig.Canary), 1, "lane-canary.json", "lane");
        var fleetFile = await rig.SignAsync(new TriggerSetTarget(TargetScope.Fleet, null), 1, "lane-fleet.json", "lane");
        await rig.PublishChunksAsync();
        var page = await rig.OpenAsync(rig.OperatorToken, "#/models/lane?fleet=fleet1");
        await page.FillAsync("#canary-percent", "50");
        await page.Locator("input.stage-file").Nth(0).SetInputFilesAsync(canaryFile);
        await page.Locator("input.stage-file").Nth(1).SetInputFilesAsync(fleetFile);
        await page.ClickAsync("#start-rollout");
        var rollout = page.Locator("section.rollout").First;
        await Expect(rollout).ToHaveAttributeAsync("data-state", "running");

        await rollout.Locator("input.halt-reason").FillAsync("camera firmware update first");
        await rollout.Locator("button.halt").ClickAsync();

        await Expect(page.Locator("section.rollout").First).ToHaveAttributeAsync("data-state", "halted");
        await Expect(page.Locator(".halt-reason-text")).ToHaveTextAsync("Halted by olga: camera firmware update first");
        await Expect(page.Locator("section.rollout tr[data-stage='1']")).ToContainTextAsync("not yet");
        await Expect(page.Locator("section.rollout button.halt")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AViewer_SeesTheModel_ButNoRollbackOrRolloutControls()
    {
        var page = await rig.OpenAsync(rig.ViewerToken, "#/models/det?fleet=fleet1");

        await Expect(page.Locator("main")).ToContainTextAsync("take an operator token");
        await Expect(page.Locator("#start-rollout")).ToHaveCountAsync(0);
        await Expect(page.Locator("button.rollback")).ToHaveCountAsync(0);
        await Expect(page.Locator("#push-command")).ToBeVisibleAsync();
    }
}

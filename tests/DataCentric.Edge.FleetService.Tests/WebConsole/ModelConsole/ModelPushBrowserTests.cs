using DataCentric.Edge.Core.Contracts;
using static Microsoft.Playwright.Assertions;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole;

/// <summary>
/// Pushing a release from the Models page in Debian's chromium against dce-fleet (its own process): one operator
/// uploads the envelope signed off the service and the real ONNX file, cannot approve it herself, a second operator
/// reviews the manifest and approves, and the canary's own receiver downloads it and acks it active, live on the model's page.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelPushBrowserTests(ModelConsoleRig rig) : IClassFixture<ModelConsoleRig>, IDisposable
{
    public void Dispose() => rig.ReportFleetLogIfFailed();

    [Fact]
    public async Task Upload_SecondOperatorApproves_TheDeviceAcksActiveOnTheModelsPage()
    {
        var canary = rig.Canary;
        var release = await rig.SignAsync(new TriggerSetTarget(TargetScope.Device, canary), 3, "push-canary.json");
        var olga = await rig.OpenAsync(rig.OperatorToken, "#/models");

        await olga.Locator("#release-file").SetInputFilesAsync(release);
        await olga.Locator("#model-file").SetInputFilesAsync(rig.ModelFile);
        await olga.ClickAsync("#upload-release");
        await Expect(olga.Locator("#model-upload-status")).ToContainTextAsync("det v3");
        await Expect(olga.Locator("#model-upload-status")).ToContainTextAsync("waiting for a second operator");
        await olga.Locator("#model-proposals li[data-state='pending'] button.review").ClickAsync();
        await olga.ClickAsync("#approve-release");
        await Expect(olga.Locator("#model-review-status")).ToContainTextAsync("a second operator must approve it");

        var piet = await rig.OpenAsync(rig.SecondOperatorToken, "#/models");
        await piet.Locator("#model-proposals li[data-state='pending'] button.review").ClickAsync();
        await Expect(piet.Locator("#model-review")).ToContainTextAsync("image float[1×3×64×64]");
        await Expect(piet.Locator("#model-review")).ToContainTextAsync("40 ms");
        await piet.ClickAsync("#approve-release");
        await Expect(piet.Locator("#model-review-status")).ToContainTextAsync("Published det v3: 1 chunk(s) and the release on");

        await ConsoleRig.ScreenshotAsync(piet, "model-push.png");
        await piet.ClickAsync("#model-review a");
        await Expect(piet.Locator($"section.version[data-version='3'] tr[data-device='{canary}']")).ToHaveAttributeAsync("data-step", "running");
    }
}

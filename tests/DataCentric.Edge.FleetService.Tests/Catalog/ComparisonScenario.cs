using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;
using static DataCentric.Edge.FleetService.Tests.Catalog.ModelSamples;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>
/// Two versions of model "det" on two devices with known run time, events and clips (minutes after Hour0):
/// <list type="bullet">
/// <item>cam-1 runs from -30 to 240 (one agent start); v1 active from 0, v2 from 120: 0.5 h unattributed, v1 2 h, v2 2 h.</item>
/// <item>cam-2 runs 60-180 and 240-300 (two starts, the gap not running); v1 active from 0, v3 refused at 200: v1 3 h.</item>
/// <item>cam-3 only ever reported model "lane": none of its rows count.</item>
/// </list>
/// v1: 6 events (5 brake-disagree, 1 dry-run lane-drift), 2 clips, 5 h. v2: 2 events (2 brake-disagree, 1 swerve), 1 clip, 2 h.
/// Unattributed: the event at -10 (before any ack) and the clip of an unknown model.
/// Reviews: two import reports of dataset "a" (only the newer counts) and one of "b", all for v2's hash.
/// </summary>
internal static class ComparisonScenario
{
    public static async Task WriteAsync(IFleetCatalog catalog, CancellationToken ct)
    {
        await catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 1, ModelReleaseStage.Active, 0, activeVersion: 1), ct);
        await catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 120, activeVersion: 2), ct);
        await catalog.RecordModelReleaseAckAsync(ModelAck("cam-2", 1, ModelReleaseStage.Active, 0, activeVersion: 1), ct);
        await catalog.RecordModelReleaseAckAsync(ModelAck("cam-2", 3, ModelReleaseStage.Refused, 200, activeVersion: 1, reasons: [("tooLargeForMemory", "too big")]), ct);
        await catalog.RecordModelReleaseAckAsync(ModelAck("cam-3", 1, ModelReleaseStage.Active, 0, activeVersion: 1, name: "lane"), ct);

        (string, long, long)[] counts = [("brake-disagree", 1, 0)];
        await catalog.RecordTriggerCountersAsync(Counters(60, counts, startedMinutes: -30), ct);
        await catalog.RecordTriggerCountersAsync(Counters(240, counts, startedMinutes: -30), ct);
        await catalog.RecordTriggerCountersAsync(Counters(120, counts, startedMinutes: 60, device: "cam-2"), ct);
        await catalog.RecordTriggerCountersAsync(Counters(180, counts, startedMinutes: 60, device: "cam-2"), ct);
        await catalog.RecordTriggerCountersAsync(Counters(300, counts, startedMinutes: 240, device: "cam-2"), ct);
        await catalog.RecordTriggerCountersAsync(Counters(300, counts, startedMinutes: 0, device: "cam-3"), ct);

        var v1 = ModelSha("det", 1);
        var v2 = ModelSha("det", 2);
        await catalog.AddClipAsync(Clip("c-late", At(125), triggers: ["brake-disagree"], model: v1), ct);
        await catalog.AddClipAsync(Clip("c-v2", At(160), triggers: ["brake-disagree", "swerve"], model: v2), ct);
        await catalog.AddClipAsync(Clip("c-two-models", At(80), device: "cam-2", model: $"{v1},{Sha("lane-model")}"), ct);
        await catalog.AddClipAsync(Clip("c-unknown", At(70), device: "cam-2", model: Sha("hand-installed")), ct);
        await catalog.AddClipAsync(Clip("c-lane", At(70), device: "cam-3", model: ModelSha("lane", 1)), ct);

        await AddEventAsync(catalog, "cam-1", Event("e-before", At(-10)), ct);
        await AddEventAsync(catalog, "cam-1", Event("e-v1", At(30)), ct);
        await AddEventAsync(catalog, "cam-1", Event("e-v1-clip", At(125), clipId: "c-late"), ct);
        await AddEventAsync(catalog, "cam-1", Event("e-v2", At(150)), ct);
        await AddEventAsync(catalog, "cam-1", Event("e-v2-clip", At(160), triggers: ["brake-disagree", "swerve"], clipId: "c-v2"), ct);
        foreach (var minute in new[] { 70, 80, 90 })
        {
            await AddEventAsync(catalog, "cam-2", Event($"e-cam2-{minute}", At(minute)), ct);
        }

        await AddEventAsync(catalog, "cam-2", Event("e-dry", At(100), triggers: ["lane-drift"], dryRun: true), ct);
        await AddEventAsync(catalog, "cam-3", Event("e-lane", At(100)), ct);

        await catalog.AddDatasetReportAsync(Import("a.old", "a", 1, v2, frames: 10, right: 1, modelBoxes: 20, reviewed: 20, matched: 2, sameClass: 2, events: 4, eventsTrue: 0), ct);
        await catalog.AddDatasetReportAsync(Import("a.new", "a", 2, v2, frames: 10, right: 8, modelBoxes: 20, reviewed: 25, matched: 18, sameClass: 17, events: 4, eventsTrue: 3), ct);
        await catalog.AddDatasetReportAsync(
            Import("b.1", "b", 3, v2.ToUpperInvariant(), frames: 10, right: 6, modelBoxes: 20, reviewed: 15, matched: 12, sameClass: 12, events: 6, eventsTrue: 3), ct);
        await catalog.AddDatasetReportAsync(new DatasetReport("b.build", "b", "build", T0.AddMinutes(4), "ops", T0, "{\"picked\": 3}"), ct);
    }

    public static DateTimeOffset At(double minutes) => Hour0.AddMinutes(minutes);

    private static Task AddEventAsync(IFleetCatalog catalog, string device, EventSummary e, CancellationToken ct) =>
        catalog.AddEventAsync("acme", device, e, T0.AddHours(6), ct);

    /// <summary>An import report as edgectl dataset import writes it (Agreement.ToJson per model hash).</summary>
    private static DatasetReport Import(
        string id, string dataset, int minutes, string sha, int frames, int right, int modelBoxes, int reviewed, int matched, int sameClass, int events, int eventsTrue) =>
        new(id, dataset, "import", T0.AddMinutes(minutes), "ops", T0.AddMinutes(minutes), $$"""
            {"reportId": "{{id}}", "kind": "import", "dataset": "{{dataset}}",
             "byModel": {"{{sha}}": {"frames": {{frames}}, "framesWithoutModelBoxes": 0, "modelRightFrames": {{right}}, "modelRight": 0.1,
               "modelBoxes": {{modelBoxes}}, "reviewedBoxes": {{reviewed}}, "matchedBoxes": {{matched}}, "sameClass": {{sameClass}},
               "boxPrecision": 0.1, "events": {{events}}, "eventsTrue": {{eventsTrue}}, "triggerPrecision": 0.1} } }
            """);
}

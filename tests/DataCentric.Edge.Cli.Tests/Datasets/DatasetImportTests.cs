using System.Text.Json;
using System.Text.Json.Nodes;
using DataCentric.Edge.Cli.Commands.Datasets;
using DataCentric.Edge.Cli.Tests.Prelabels;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Cli.Tests.Datasets;

/// <summary>
/// <c>edgectl dataset build</c> then <c>import</c> on a clip from a real agent run with the repo's
/// YOLOv8-shaped test detector: a review that accepts every draft box agrees completely; one that moves a
/// box, deletes one and adds one changes the figures by exactly those three boxes; and every bad input
/// is reported with its file and frame.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AgentRunClipsCollection.Name)]
public sealed class DatasetImportTests(AgentRunClips clips) : IDisposable
{
    private readonly TempDirectory _dir = new("dce-dataset-import");

    [Fact]
    public async Task Import_OfAHandEditedLabelStudioExport_ChangesTheAgreementExactlyAsEdited()
    {
        var (dataset, catalog) = await BuildAsync("edited");
        var tasks = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dataset, "tasks.json"), TestContext.Current.CancellationToken))!.AsArray();
        AcceptPredictions(tasks);
        var withBoxes = tasks.Where(t => t!["annotations"]![0]!["result"]!.AsArray().Count > 0).ToList();
        Assert.True(withBoxes.Count >= 3, "the detector's clip must have three frames with boxes");
        var boxes = withBoxes.Sum(t => t!["annotations"]![0]!["result"]!.AsArray().Count);
        var accepted = Write("accepted.json", tasks);

        var exact = await ImportAsync(dataset, accepted, catalog);
        Assert.Equal((boxes, boxes, boxes, boxes), (exact.GetProperty("modelBoxes").GetInt32(), exact.GetProperty("reviewedBoxes").GetInt32(), exact.GetProperty("matchedBoxes").GetInt32(), exact.GetProperty("sameClass").GetInt32()));
        Assert.Equal(1.0, exact.GetProperty("modelRight").GetDouble());

        // Move a box off its place (no overlap left), delete one, add one where nothing was.
        var moved = withBoxes[0]!["annotations"]![0]!["result"]![0]!["value"]!;
        moved["x"] = moved["x"]!.GetValue<double>() < 50 ? 60.0 : 0.0;
        moved["width"] = 30.0;
        withBoxes[1]!["annotations"]![0]!["result"]!.AsArray().RemoveAt(0);
        var added = withBoxes[2]!["annotations"]![0]!["result"]![0]!.DeepClone();
        added["value"]!["x"] = 0.0;
        added["value"]!["y"] = 0.0;
        added["value"]!["width"] = 1.0;
        added["value"]!["height"] = 1.0;
        withBoxes[2]!["annotations"]![0]!["result"]!.AsArray().Add(added);
        var edited = Write("edited.json", tasks);

        var figures = await ImportAsync(dataset, edited, catalog);

        Assert.Equal(boxes, figures.GetProperty("modelBoxes").GetInt32());
        Assert.Equal(boxes, figures.GetProperty("reviewedBoxes").GetInt32());
        Assert.Equal(boxes - 2, figures.GetProperty("matchedBoxes").GetInt32());
        // The report rounds ratios to 6 places.
        Assert.Equal((double)(boxes - 2) / boxes, figures.GetProperty("boxPrecision").GetDouble(), 1e-6);
        Assert.Equal((double)(boxes - 2) / boxes, figures.GetProperty("boxRecall").GetDouble(), 1e-6);
        Assert.Equal(1.0, figures.GetProperty("classAccuracy").GetDouble());
        Assert.Equal(tasks.Count - 3, figures.GetProperty("modelRightFrames").GetInt32());
        Assert.Equal(2, Directory.GetFiles(Path.Combine(catalog, "reports"), "edited.import.*.json").Length);
    }

    [Fact]
    public async Task Import_JudgesATriggerEvent_OnTheReviewedFrameNearestItsMoment_NotOnTheRestOfItsClip()
    {
        var (dataset, catalog) = await BuildAsync("moment");
        var tasks = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dataset, "tasks.json"), TestContext.Current.CancellationToken))!.AsArray();
        AcceptPredictions(tasks);
        var anyBox = tasks.Select(t => t!["annotations"]![0]!["result"]!.AsArray()).First(r => r.Count > 0)[0]!;
        var offsets = EventOffsets(dataset);
        var (eventId, trigger) = offsets.Values.SelectMany(o => o.Keys).First();
        var nearest = offsets.MinBy(o => o.Value[(eventId, trigger)]).Key;
        var far = offsets.FirstOrDefault(o => o.Value.Values.All(d => d > Agreement.MomentSeconds)).Key;
        Assert.True(far is not null, "the clip must have a frame away from every trigger's moment");
        Assert.True(offsets[nearest][(eventId, trigger)] <= Agreement.MomentSeconds, "a frame must lie at the trigger's moment");

        var accepted = await ImportAsync(dataset, Write("moment-accepted.json", tasks), catalog);
        Assert.Equal(0, accepted.GetProperty("eventsModelMistake").GetInt32());
        var judged = accepted.GetProperty("eventsJudged").GetInt32();
        Assert.InRange(judged, 1, accepted.GetProperty("events").GetInt32());

        // The reviewer disagrees with the model away from every trigger's moment: the model is wrong
        // on one more frame, but no trigger's moment changes.
        Disagree(Task(tasks, far), anyBox);
        var away = await ImportAsync(dataset, Write("moment-away.json", tasks), catalog);
        Assert.Equal(accepted.GetProperty("modelRightFrames").GetInt32() - 1, away.GetProperty("modelRightFrames").GetInt32());
        Assert.Equal(0, away.GetProperty("eventsModelMistake").GetInt32());

        // ... and then at the trigger's moment: now the event was a real mistake of the model.
        Disagree(Task(tasks, nearest), anyBox);
        var atMoment = await ImportAsync(dataset, Write("moment-at.json", tasks), catalog);
        Assert.InRange(atMoment.GetProperty("eventsModelMistake").GetInt32(), 1, judged);
        Assert.Equal(judged, atMoment.GetProperty("eventsJudged").GetInt32());
    }

    [Fact]
    public async Task Import_ReportsFramesNotInTheDataset_UnknownClasses_AndBoxesOutsideTheImage_WithFileAndFrame()
    {
        var (dataset, _) = await BuildAsync("bad-labels");
        var tasks = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dataset, "tasks.json"), TestContext.Current.CancellationToken))!.AsArray();
        AcceptPredictions(tasks);
        var withBoxes = tasks.Where(t => t!["annotations"]![0]!["result"]!.AsArray().Count > 0).ToList();
        var stranger = tasks[0]!.DeepClone();
        stranger["id"] = 9999;
        stranger["data"]!["image"] = "images/not-in-this-dataset.jpg";
        tasks.Add(stranger);
        withBoxes[0]!["annotations"]![0]!["result"]![0]!["value"]!["rectanglelabels"] = new JsonArray("giraffe");
        var overhang = withBoxes[1]!["annotations"]![0]!["result"]![0]!["value"]!;
        overhang["x"] = 90.0;
        overhang["width"] = 20.0;
        var outside = withBoxes[2]!["annotations"]![0]!["result"]![0]!["value"]!;
        outside["x"] = 120.0;
        var file = Write("bad.json", tasks);

        var (exit, _, error) = await Edgectl.RunAsync("dataset", "import", dataset, file);

        Assert.True(exit == 0, error);
        Assert.Contains($"{file}: task 9999 (images/not-in-this-dataset.jpg): this frame is not in the dataset", error, StringComparison.Ordinal);
        Assert.Contains($"{file}: task {withBoxes[0]!["id"]} (", error, StringComparison.Ordinal);
        Assert.Contains("class 'giraffe' is not one of the dataset's classes", error, StringComparison.Ordinal);
        Assert.Contains($"{file}: task {withBoxes[1]!["id"]} (", error, StringComparison.Ordinal);
        Assert.Contains("reaches outside the image; clipped to it", error, StringComparison.Ordinal);
        Assert.Contains("lies outside the image; left out", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OfCoco_ReportsUnknownCategoriesAndImages_AndAgreesWithItsOwnBoxes()
    {
        var outDir = _dir.Combine("coco-ds");
        var source = Directory.CreateDirectory(_dir.Combine("coco-src")).FullName;
        clips.CopyOf(clips.DetectorClip, source);
        var (exit, _, error) = await Edgectl.RunAsync("dataset", "build", "--catalog", source, "--out", outDir, "--format", "coco", "--frames", "1000");
        Assert.True(exit == 0, error);
        var coco = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "annotations.json"), TestContext.Current.CancellationToken))!;
        var annotations = coco["annotations"]!.AsArray();
        var boxes = annotations.Count;
        annotations.Add(new JsonObject { ["id"] = 5000, ["image_id"] = 77777, ["category_id"] = 1, ["bbox"] = new JsonArray(1, 1, 5, 5) });
        annotations.Add(new JsonObject { ["id"] = 5001, ["image_id"] = 1, ["category_id"] = 99, ["bbox"] = new JsonArray(1, 1, 5, 5) });
        var file = Write("coco.json", coco);

        var (importExit, output, importError) = await Edgectl.RunAsync("dataset", "import", outDir, file, "--report", _dir.Combine("coco-report.json"));

        Assert.True(importExit == 0, importError);
        Assert.Contains($"{file}: annotation 5000 (image 77777): its image_id is not among the file's images", importError, StringComparison.Ordinal);
        Assert.Contains($"{file}: annotation 5001 (image 1) (", importError, StringComparison.Ordinal);
        Assert.Contains("category_id 99 is not among the file's categories", importError, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(_dir.Combine("coco-report.json"), TestContext.Current.CancellationToken));
        var overall = report.RootElement.GetProperty("overall");
        Assert.Equal((boxes, boxes), (overall.GetProperty("reviewedBoxes").GetInt32(), overall.GetProperty("matchedBoxes").GetInt32()));
        Assert.Contains("shadow model right 100 %", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OfMalformedJson_SaysFileLineAndColumn_AndStoresNoReport()
    {
        var (dataset, catalog) = await BuildAsync("malformed");
        var file = _dir.Combine("malformed.json");
        await File.WriteAllTextAsync(file, "[\n  {\"id\": 1,\n  \"data\": }\n]", TestContext.Current.CancellationToken);

        var (exit, _, error) = await Edgectl.RunAsync("dataset", "import", dataset, file, "--catalog", catalog);

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains($"{file}:3:", error, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(catalog, "reports"), "malformed.import.*"));
    }

    [Fact]
    public async Task Build_ReportsATruncatedClip_AndAClipWithoutDetections_ByFile_AndWritesTheRest()
    {
        var source = Directory.CreateDirectory(_dir.Combine("mixed")).FullName;
        clips.CopyOf(clips.DetectorClip, source);
        var classifier = clips.CopyOf(clips.ClassifierClip, source);
        var truncated = Path.Combine(source, "truncated.mcap");
        var bytes = await File.ReadAllBytesAsync(clips.DetectorClip, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)], TestContext.Current.CancellationToken);
        var outDir = _dir.Combine("mixed-ds");

        var (exit, _, error) = await Edgectl.RunAsync("dataset", "build", "--catalog", source, "--out", outDir, "--format", "labelstudio", "--frames", "1000");

        Assert.True(exit == 0, error);
        Assert.Contains($"{truncated}: skipped: ", error, StringComparison.Ordinal);
        Assert.Contains("truncated", error, StringComparison.Ordinal);
        Assert.Contains($"{classifier}: no boxes in this clip", error, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "dataset.json"), TestContext.Current.CancellationToken));
        Assert.Equal((3, 2, 1), (report.RootElement.GetProperty("clips").GetProperty("listed").GetInt32(), report.RootElement.GetProperty("clips").GetProperty("read").GetInt32(), report.RootElement.GetProperty("clips").GetProperty("withoutBoxes").GetInt32()));
        Assert.Contains(report.RootElement.GetProperty("problems").EnumerateArray(), p => p.GetProperty("file").GetString() == truncated);
    }

    [Fact]
    public async Task Build_IntoAFolderThatIsNotEmpty_IsRefused_AndLeavesNoTemporaryFolder()
    {
        var source = Directory.CreateDirectory(_dir.Combine("refused-src")).FullName;
        clips.CopyOf(clips.DetectorClip, source);
        var outDir = Directory.CreateDirectory(_dir.Combine("taken")).FullName;
        await File.WriteAllTextAsync(Path.Combine(outDir, "keep.txt"), "mine", TestContext.Current.CancellationToken);

        var (exit, _, error) = await Edgectl.RunAsync("dataset", "build", "--catalog", source, "--out", outDir, "--format", "yolo");

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains("already exists and is not empty", error, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
        Assert.Empty(Directory.GetDirectories(_dir.Path, ".taken.tmp-*"));
    }

    public void Dispose() => _dir.Dispose();

    private async Task<(string Dataset, string Catalog)> BuildAsync(string name)
    {
        var catalog = Directory.CreateDirectory(_dir.Combine(name + "-catalog")).FullName;
        clips.CopyOf(clips.DetectorClip, catalog);
        var outDir = _dir.Combine(name);
        var (exit, _, error) = await Edgectl.RunAsync("dataset", "build", "--catalog", catalog, "--out", outDir, "--format", "labelstudio", "--frames", "1000");
        Assert.True(exit == 0, error);
        return (outDir, catalog);
    }

    /// <summary>A reviewer who accepts every draft box: the prediction becomes the task's annotation.</summary>
    private static void AcceptPredictions(JsonArray tasks)
    {
        var id = 0;
        foreach (var task in tasks)
        {
            task!["id"] = ++id;
            var result = task["predictions"]!.AsArray().FirstOrDefault()?["result"]?.DeepClone() ?? new JsonArray();
            task["annotations"] = new JsonArray(new JsonObject { ["id"] = id, ["was_cancelled"] = false, ["result"] = result });
        }
    }

    /// <summary>Per dataset image, each (event, trigger) of its clip and how far (seconds) the frame lies from it, from review-frames.jsonl.</summary>
    private static Dictionary<string, Dictionary<(string Event, string Trigger), double>> EventOffsets(string dataset)
    {
        var offsets = new Dictionary<string, Dictionary<(string, string), double>>(StringComparer.Ordinal);
        foreach (var text in File.ReadLines(Path.Combine(dataset, "review-frames.jsonl")))
        {
            using var line = JsonDocument.Parse(text);
            offsets[line.RootElement.GetProperty("image").GetString()!] = line.RootElement.GetProperty("events").EnumerateArray()
                .ToDictionary(e => (e.GetProperty("event").GetString()!, e.GetProperty("trigger").GetString()!), e => Math.Abs(e.GetProperty("offset_s").GetDouble()));
        }

        return offsets;
    }

    private static JsonNode Task(JsonArray tasks, string image) => tasks.Single(t => t!["data"]!["image"]!.GetValue<string>().EndsWith(image, StringComparison.Ordinal))!;

    /// <summary>The reviewer deletes the model's first box on the frame, or draws one where it drew none.</summary>
    private static void Disagree(JsonNode task, JsonNode someBox)
    {
        var result = task["annotations"]![0]!["result"]!.AsArray();
        if (result.Count > 0)
        {
            result.RemoveAt(0);
            return;
        }

        var added = someBox.DeepClone();
        added["value"]!["x"] = 0.0;
        added["value"]!["y"] = 0.0;
        added["value"]!["width"] = 5.0;
        added["value"]!["height"] = 5.0;
        result.Add(added);
    }

    private string Write(string name, JsonNode json)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static async Task<JsonElement> ImportAsync(string dataset, string file, string catalog)
    {
        var (exit, _, error) = await Edgectl.RunAsync("dataset", "import", dataset, file, "--catalog", catalog);
        Assert.True(exit == 0, error);
        var stored = Directory.GetFiles(Path.Combine(catalog, "reports"), Path.GetFileName(dataset) + ".import.*.json").OrderBy(File.GetLastWriteTimeUtc).Last();
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(stored, TestContext.Current.CancellationToken));
        return report.RootElement.GetProperty("overall").Clone();
    }
}

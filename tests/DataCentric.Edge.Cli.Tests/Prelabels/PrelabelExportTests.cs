using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Cli.Tests.Prelabels;

/// <summary>
/// <c>edgectl clips export --format coco|labelstudio|yolo</c> through edgectl's entry point on clips
/// from real agent runs with the repo's YOLOv8-shaped test detector: every format parses back to the
/// boxes the clip holds (within a pixel), and the JSON formats pass schemas written from their docs.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AgentRunClipsCollection.Name)]
public sealed class PrelabelExportTests(AgentRunClips clips) : IDisposable
{
    private readonly TempDirectory _dir = new("dce-prelabel-out");

    [Fact]
    public async Task Coco_ParsesBackToTheClipsBoxes_AndPassesTheCocoSchema()
    {
        var outDir = _dir.Combine("coco");

        var (exit, output, error) = await Edgectl.RunAsync("clips", "export", clips.DetectorClip, "--format", "coco", "--out", outDir);

        Assert.True(exit == 0, error);
        var json = await File.ReadAllTextAsync(Path.Combine(outDir, "annotations.json"), TestContext.Current.CancellationToken);
        Assert.Empty(PrelabelSchemas.Errors(PrelabelSchemas.Coco, json));
        using var coco = JsonDocument.Parse(json);
        var categories = coco.RootElement.GetProperty("categories").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetInt32(), c => c.GetProperty("name").GetString()!);
        var annotations = coco.RootElement.GetProperty("annotations").EnumerateArray().ToLookup(a => a.GetProperty("image_id").GetInt32());
        var expected = ExpectedBoxes(clips.DetectorClip);
        var images = coco.RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(expected.Frames.Count, images.Count);
        var compared = 0;
        foreach (var image in images)
        {
            var name = image.GetProperty("file_name").GetString()!;
            var frame = expected.ByImage(outDir, name);
            Assert.Equal(frame.Width, image.GetProperty("width").GetInt32());
            Assert.Equal(frame.Height, image.GetProperty("height").GetInt32());
            Assert.Equal(frame.Data.ToArray(), await File.ReadAllBytesAsync(Path.Combine(outDir, "images", name), TestContext.Current.CancellationToken));
            var got = annotations[image.GetProperty("id").GetInt32()].Select(a =>
            {
                var bbox = a.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                Assert.Equal(bbox[2] * bbox[3], a.GetProperty("area").GetDouble(), 0.01);
                Assert.Equal(0, a.GetProperty("iscrowd").GetInt32());
                return new Box(categories[a.GetProperty("category_id").GetInt32()], a.GetProperty("score").GetDouble(), bbox[0], bbox[1], bbox[2], bbox[3]);
            }).ToList();
            compared += AssertSameBoxes(expected.Boxes(frame) ?? [], got, name);
        }

        Assert.True(compared > 0, "the detector's clip must have boxes to compare");
        Assert.Contains($"{expected.Frames.Count} frames from 1 clips with {compared} draft boxes", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(_dir.Path, ".coco.tmp-*"));
    }

    [Fact]
    public async Task LabelStudio_ParsesBackToTheClipsBoxes_MatchesItsLabelingConfig_AndPassesTheTaskSchema()
    {
        var outDir = _dir.Combine("ls");

        var (exit, _, error) = await Edgectl.RunAsync("clips", "export", clips.DetectorClip, "--format", "labelstudio", "--out", outDir);

        Assert.True(exit == 0, error);
        var json = await File.ReadAllTextAsync(Path.Combine(outDir, "tasks.json"), TestContext.Current.CancellationToken);
        Assert.Empty(PrelabelSchemas.Errors(PrelabelSchemas.LabelStudioTasks, json));
        var config = XDocument.Load(Path.Combine(outDir, "labeling-config.xml")).Root!;
        var imageTag = Assert.Single(config.Elements("Image"));
        var rectangles = Assert.Single(config.Elements("RectangleLabels"));
        Assert.Equal("$image", imageTag.Attribute("value")!.Value);
        Assert.Equal(imageTag.Attribute("name")!.Value, rectangles.Attribute("toName")!.Value);
        var labels = rectangles.Elements("Label").Select(l => l.Attribute("value")!.Value).ToHashSet(StringComparer.Ordinal);

        var expected = ExpectedBoxes(clips.DetectorClip);
        using var tasks = JsonDocument.Parse(json);
        Assert.Equal(expected.Frames.Count, tasks.RootElement.GetArrayLength());
        var compared = 0;
        foreach (var task in tasks.RootElement.EnumerateArray())
        {
            var image = task.GetProperty("data").GetProperty("image").GetString()!;
            Assert.StartsWith("images/", image, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(outDir, image)), image);
            var frame = expected.ByImage(outDir, Path.GetFileName(image));
            if (expected.Boxes(frame) is null)
            {
                // A frame the model skipped has no draft: a reviewer starts from nothing, not from "no objects".
                Assert.Equal(0, task.GetProperty("predictions").GetArrayLength());
                continue;
            }

            var prediction = Assert.Single(task.GetProperty("predictions").EnumerateArray());
            Assert.Equal(expected.ModelSha, prediction.GetProperty("model_version").GetString());
            var got = prediction.GetProperty("result").EnumerateArray().Select(r =>
            {
                Assert.Equal(rectangles.Attribute("name")!.Value, r.GetProperty("from_name").GetString());
                Assert.Equal(imageTag.Attribute("name")!.Value, r.GetProperty("to_name").GetString());
                Assert.Equal(frame.Width, r.GetProperty("original_width").GetInt32());
                var value = r.GetProperty("value");
                var label = Assert.Single(value.GetProperty("rectanglelabels").EnumerateArray()).GetString()!;
                Assert.Contains(label, labels);
                return new Box(
                    label, r.GetProperty("score").GetDouble(),
                    value.GetProperty("x").GetDouble() * frame.Width / 100, value.GetProperty("y").GetDouble() * frame.Height / 100,
                    value.GetProperty("width").GetDouble() * frame.Width / 100, value.GetProperty("height").GetDouble() * frame.Height / 100);
            }).ToList();
            compared += AssertSameBoxes(expected.Boxes(frame)!, got, image);
        }

        Assert.True(compared > 0, "the detector's clip must have boxes to compare");
    }

    [Fact]
    public async Task LabelStudio_ImageUrlBase_PointsTasksAtTheServedImages()
    {
        var outDir = _dir.Combine("ls-url");

        var (exit, _, error) = await Edgectl.RunAsync("clips", "export", clips.DetectorClip, "--format", "labelstudio", "--out", outDir, "--image-url-base", "https://fleet.example/frames/");

        Assert.True(exit == 0, error);
        using var tasks = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "tasks.json"), TestContext.Current.CancellationToken));
        foreach (var task in tasks.RootElement.EnumerateArray())
        {
            var url = task.GetProperty("data").GetProperty("image").GetString()!;
            Assert.StartsWith("https://fleet.example/frames/", url, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(outDir, "images", Uri.UnescapeDataString(url["https://fleet.example/frames/".Length..]))), url);
        }
    }

    [Fact]
    public async Task Yolo_IsNormalisedInsideZeroToOne_AndParsesBackToTheClipsBoxes()
    {
        var outDir = _dir.Combine("yolo");

        var (exit, _, error) = await Edgectl.RunAsync("clips", "export", clips.DetectorClip, "--format", "yolo", "--out", outDir);

        Assert.True(exit == 0, error);
        var yaml = await File.ReadAllLinesAsync(Path.Combine(outDir, "data.yaml"), TestContext.Current.CancellationToken);
        Assert.Contains("train: images", yaml);
        var names = yaml.SkipWhile(l => l != "names:").Skip(1).Select(l => l.Trim().Split(": ", 2)).ToDictionary(p => int.Parse(p[0], CultureInfo.InvariantCulture), p => p[1].Trim('\''));
        var expected = ExpectedBoxes(clips.DetectorClip);
        var compared = 0;
        foreach (var frame in expected.Frames)
        {
            var image = expected.ImageOf(outDir, frame);
            var txt = Path.Combine(outDir, "labels", Path.GetFileNameWithoutExtension(image) + ".txt");
            var got = (await File.ReadAllLinesAsync(txt, TestContext.Current.CancellationToken)).Where(l => l.Length > 0).Select(line =>
            {
                var fields = line.Split(' ');
                Assert.Equal(5, fields.Length);
                var v = fields[1..].Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
                Assert.All(v, x => Assert.InRange(x, 0, 1));
                Assert.InRange(v[0] - (v[2] / 2), -1e-6, 1);
                Assert.InRange(v[0] + (v[2] / 2), 0, 1 + 1e-6);
                return new Box(names[int.Parse(fields[0], CultureInfo.InvariantCulture)], double.NaN,
                    (v[0] - (v[2] / 2)) * frame.Width, (v[1] - (v[3] / 2)) * frame.Height, v[2] * frame.Width, v[3] * frame.Height);
            }).ToList();
            compared += AssertSameBoxes(expected.Boxes(frame) ?? [], got, txt);
        }

        Assert.True(compared > 0, "the detector's clip must have boxes to compare");
    }

    [Fact]
    public async Task EveryAndAroundTrigger_SelectFrames_AndTheManifestSaysWhereEachCameFrom()
    {
        var expected = ExpectedBoxes(clips.DetectorClip);
        var triggerTime = Assert.Single(expected.Clip.Events).Time;
        var outDir = _dir.Combine("some");

        var (exit, _, error) = await Edgectl.RunAsync("clips", "export", clips.DetectorClip, "--format", "coco", "--out", outDir, "--every", "2", "--around-trigger", "0.5");

        Assert.True(exit == 0, error);
        var near = expected.Frames.Where(f => (f.Time - triggerTime).Duration() <= TimeSpan.FromSeconds(0.5)).ToList();
        var manifest = Manifest(outDir);
        Assert.Equal(near.Where((_, i) => i % 2 == 0).Select(f => f.Time.Ticks * 100), manifest.Select(m => m.GetProperty("monotonic_ns").GetInt64()));
        foreach (var line in manifest)
        {
            Assert.Equal(expected.Clip.ClipId, line.GetProperty("clip").GetString());
            Assert.Equal(expected.Clip.Metadata["device.id"], line.GetProperty("device").GetString());
            Assert.Equal(expected.ModelSha, line.GetProperty("model_sha256").GetString());
            Assert.Equal(["missed-obstacle"], line.GetProperty("trigger_ids").EnumerateArray().Select(t => t.GetString()));
            Assert.True(line.GetProperty("model").TryGetProperty("shadow.obstacle", out _));
            Assert.True(line.GetProperty("primary").TryGetProperty("primary.brake", out _));
            Assert.True(DateTimeOffset.TryParse(line.GetProperty("time").GetString(), CultureInfo.InvariantCulture, out _));
        }
    }

    [Fact]
    public async Task ClipWithoutADetector_ExportsFramesWithTheClassifiersValues_AndSaysItHasNoBoxes()
    {
        var outDir = _dir.Combine("classifier");

        var (exit, _, error) = await Edgectl.RunAsync("clips", "export", clips.ClassifierClip, "--format", "coco", "--out", outDir);

        Assert.True(exit == 0, error);
        Assert.Contains($"{clips.ClassifierClip}: no boxes in this clip", error, StringComparison.Ordinal);
        using var coco = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "annotations.json"), TestContext.Current.CancellationToken));
        Assert.Equal(0, coco.RootElement.GetProperty("annotations").GetArrayLength());
        Assert.True(coco.RootElement.GetProperty("images").GetArrayLength() > 0);
        Assert.All(Manifest(outDir), line =>
        {
            Assert.Equal(JsonValueKind.Null, line.GetProperty("boxes").ValueKind);
            Assert.True(line.GetProperty("model").TryGetProperty("shadow.class", out var classId), line.ToString());
            Assert.True(line.GetProperty("model").TryGetProperty("shadow.score", out var score), line.ToString());
            Assert.InRange(score.GetDouble(), 0, 1);
            Assert.InRange(classId.GetDouble(), 0, 3);
        });
    }

    [Fact]
    public async Task ManyClips_AreWrittenInTheirOrder_WithEachFramesJpegBytesUnchanged()
    {
        // More clips than the reader may queue ahead of the writer, each under its own id.
        var clip = Read(clips.DetectorClip);
        var files = Enumerable.Range(0, 7).Select(i => Write(clip with { ClipId = $"copy-{i}" }, $"copy-{i}.mcap")).ToList();
        var outDir = _dir.Combine("out");

        var (exit, _, error) = await Edgectl.RunAsync(["clips", "export", .. files, "--format", "coco", "--out", outDir]);

        Assert.True(exit == 0, error);
        var manifest = Manifest(outDir);
        var frames = clip.Frames.Where(f => f.FrameId == "camera").OrderBy(f => f.Time).ToList();
        Assert.Equal(files.Count * frames.Count, manifest.Count);
        for (var i = 0; i < manifest.Count; i++)
        {
            Assert.Equal($"copy-{i / frames.Count}", manifest[i].GetProperty("clip").GetString());
            var image = await File.ReadAllBytesAsync(Path.Combine(outDir, manifest[i].GetProperty("image").GetString()!), TestContext.Current.CancellationToken);
            Assert.True(frames[i % frames.Count].Data.Span.SequenceEqual(image), $"{manifest[i].GetProperty("image")}: not the clip's JPEG bytes");
        }
    }

    [Fact]
    public async Task TheSameClipTwice_IsExportedOnce_AndTheCopyIsReported()
    {
        var first = clips.CopyOf(clips.DetectorClip, Directory.CreateDirectory(_dir.Combine("pulled-monday")).FullName);
        var again = clips.CopyOf(clips.DetectorClip, Directory.CreateDirectory(_dir.Combine("pulled-tuesday")).FullName);
        var outDir = _dir.Combine("out");

        var (exit, output, error) = await Edgectl.RunAsync("clips", "export", first, again, "--format", "coco", "--out", outDir);

        Assert.True(exit == 0, error);
        var frames = Read(clips.DetectorClip).Frames.Count(f => f.FrameId == "camera");
        Assert.Equal(frames, Manifest(outDir).Count);
        Assert.Equal(frames, Directory.GetFiles(Path.Combine(outDir, "images")).Length);
        Assert.Contains($"{again}: the same clip (id ", error, StringComparison.Ordinal);
        Assert.Contains($"as {first}; exported once, from the first.", error, StringComparison.Ordinal);
        Assert.Contains("from 1 clips", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedClip_IsRefusedNamingFileAndOffset_AndNothingIsWritten()
    {
        var good = clips.CopyOf(clips.DetectorClip, _dir.Path);
        var cut = _dir.Combine("cut.mcap");
        var bytes = await File.ReadAllBytesAsync(good, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)], TestContext.Current.CancellationToken);
        var outDir = _dir.Combine("out");

        // The good clip first: its frames are already in the temp folder when the cut one is refused.
        var (exit, _, error) = await Edgectl.RunAsync("clips", "export", good, cut, "--format", "yolo", "--out", outDir);

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains(cut, error, StringComparison.Ordinal);
        Assert.Contains("byte offset", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetDirectories(_dir.Path, ".out.tmp-*"));
    }

    [Fact]
    public async Task ClipWithoutFrames_IsRefused_AndNothingIsWritten()
    {
        var clip = Read(clips.DetectorClip);
        var empty = Write(clip with { Frames = [] }, "no-frames.mcap");
        var outDir = _dir.Combine("out");

        var (exit, _, error) = await Edgectl.RunAsync("clips", "export", empty, "--format", "coco", "--out", outDir);

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains(empty, error, StringComparison.Ordinal);
        Assert.Contains("no frames from camera 'camera'", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task FramesTheModelSkipped_AreExportedWithoutLabels_AndReported()
    {
        var clip = Read(clips.DetectorClip);
        var skipped = clip.Frames.Where((_, i) => i % 4 == 1).Select(f => f.Time).ToHashSet();
        var kept = clip.Signals.Where(s => !(s.Name.StartsWith("shadow.", StringComparison.Ordinal) && skipped.Contains(s.Sample.Time))).ToList();
        var gappy = Write(clip with { Signals = kept }, "gappy.mcap");

        // The real run may have dropped a frame or two itself (the runner skips frames while busy).
        var withOutput = kept.Where(s => s.Name.StartsWith("shadow.", StringComparison.Ordinal)).Select(s => s.Sample.Time).ToHashSet();
        var missing = clip.Frames.Select(f => f.Time).Where(t => !withOutput.Contains(t)).Order().ToList();
        Assert.Superset(skipped, missing.ToHashSet());
        var outDir = _dir.Combine("gappy");

        var (exit, _, error) = await Edgectl.RunAsync("clips", "export", gappy, "--format", "labelstudio", "--out", outDir);

        Assert.True(exit == 0, error);
        Assert.Contains($"{gappy}: {missing.Count} of {clip.Frames.Count} exported frames have no shadow model output", error, StringComparison.Ordinal);
        var manifest = Manifest(outDir);
        Assert.Equal(missing.Select(t => t.Ticks * 100), manifest.Where(m => !m.GetProperty("shadow_output").GetBoolean()).Select(m => m.GetProperty("monotonic_ns").GetInt64()));
        using var tasks = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "tasks.json"), TestContext.Current.CancellationToken));
        Assert.Equal(missing.Count, tasks.RootElement.EnumerateArray().Count(t => t.GetProperty("predictions").GetArrayLength() == 0));
    }

    [Fact]
    public async Task BoxesOutsideTheImage_AreClippedToIt_OrDroppedWhenWhollyOutside_AndReported()
    {
        var clip = Read(clips.DetectorClip);
        var frame = clip.Frames[0];
        Detection[] boxes = [new(0, 0.9f, 0.9f, -0.1f, 0.25f, 0.5f), new(1, 0.8f, 1.2f, 0.5f, 0.1f, 0.1f)];
        var signals = clip.Signals.Where(s => s.Name != "shadow.boxes" || s.Sample.Time != frame.Time)
            .Append(new SignalUpdate(new SignalId(99), "shadow.boxes", new SignalSample(SignalValue.FromDetections(boxes), frame.Time)));
        var overhanging = Write(clip with { Signals = [.. signals] }, "overhang.mcap");
        var outDir = _dir.Combine("overhang");

        var (exit, output, error) = await Edgectl.RunAsync("clips", "export", overhanging, "--format", "coco", "--out", outDir, "--every", "1000");

        Assert.True(exit == 0, error);
        Assert.Contains("1 clipped to the image, 1 outside it dropped", output, StringComparison.Ordinal);
        Assert.Contains($"{overhanging}: 1 boxes reached past the image and were clipped to it, 1 lay wholly outside and were dropped", error, StringComparison.Ordinal);
        using var coco = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "annotations.json"), TestContext.Current.CancellationToken));
        var bbox = Assert.Single(coco.RootElement.GetProperty("annotations").EnumerateArray()).GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal([0.9 * frame.Width, 0, 0.1 * frame.Width, 0.4 * frame.Height], bbox, new Within(1));
        var line = Assert.Single(Manifest(outDir));
        Assert.Equal(1, line.GetProperty("boxes_clipped").GetInt32());
        Assert.Equal(1, line.GetProperty("boxes_dropped").GetInt32());
    }

    [Fact]
    public async Task FrameTheDetectorSkipped_ButAnotherModelRanOn_GetsNoDraftBoxes_NotAnEmptyOne()
    {
        var clip = Read(clips.DetectorClip);
        var frame = clip.Frames[0];
        var signals = clip.Signals.Where(s => s.Name != "shadow.boxes" || s.Sample.Time != frame.Time)
            .Append(new SignalUpdate(new SignalId(98), "shadow.other_model", new SignalSample(SignalValue.FromNumber(0.5), frame.Time)));
        var skipped = Write(clip with { Signals = [.. signals] }, "skipped.mcap");
        var studio = _dir.Combine("skipped-ls");
        var yolo = _dir.Combine("skipped-yolo");

        var (exit, _, error) = await Edgectl.RunAsync("clips", "export", skipped, "--format", "labelstudio", "--out", studio, "--every", "1000");
        var (yoloExit, _, yoloError) = await Edgectl.RunAsync("clips", "export", skipped, "--format", "yolo", "--out", yolo, "--every", "1000");

        // An empty draft would tell a reviewer "no objects here" for a frame the detector never saw.
        Assert.True(exit == 0, error);
        Assert.True(yoloExit == 0, yoloError);
        using var tasks = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(studio, "tasks.json"), TestContext.Current.CancellationToken));
        Assert.Equal(0, Assert.Single(tasks.RootElement.EnumerateArray()).GetProperty("predictions").GetArrayLength());
        Assert.Empty(Directory.GetFiles(Path.Combine(yolo, "labels")));
        var line = Assert.Single(Manifest(studio));
        Assert.True(line.GetProperty("shadow_output").GetBoolean());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("boxes").ValueKind);
    }

    [Fact]
    public async Task NonEmptyOutFolder_IsRefused_AndLeftAlone()
    {
        var outDir = Directory.CreateDirectory(_dir.Combine("taken")).FullName;
        await File.WriteAllTextAsync(Path.Combine(outDir, "keep.txt"), "mine", TestContext.Current.CancellationToken);

        var (exit, _, error) = await Edgectl.RunAsync("clips", "export", clips.DetectorClip, "--format", "coco", "--out", outDir);

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains("already exists and is not empty", error, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task UnknownFormat_IsAUsageError()
    {
        var (exit, _, error) = await Edgectl.RunAsync("clips", "export", clips.DetectorClip, "--format", "voc", "--out", _dir.Combine("x"));

        Assert.NotEqual(0, exit);
        Assert.Contains("'voc' is not one of coco, labelstudio, yolo", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZeroFrameStep_IsAUsageError()
    {
        var (exit, _, error) = await Edgectl.RunAsync("clips", "export", clips.DetectorClip, "--format", "coco", "--out", _dir.Combine("x"), "--every", "0");

        Assert.NotEqual(0, exit);
        Assert.Contains("--every: 0 is not a positive frame step", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("x")));
    }

    /// <summary>Each box within a pixel (position and size), the same class and, where the format has it, the same score.</summary>
    private static int AssertSameBoxes(List<Box> expected, List<Box> actual, string where)
    {
        Assert.True(expected.Count == actual.Count, $"{where}: {actual.Count} boxes, expected {expected.Count}");
        var a = actual.OrderBy(b => b.Class, StringComparer.Ordinal).ThenBy(b => b.X).ToList();
        var e = expected.OrderBy(b => b.Class, StringComparer.Ordinal).ThenBy(b => b.X).ToList();
        for (var i = 0; i < e.Count; i++)
        {
            Assert.Equal(e[i].Class, a[i].Class);
            Assert.Equal([e[i].X, e[i].Y, e[i].Width, e[i].Height], [a[i].X, a[i].Y, a[i].Width, a[i].Height], new Within(1));
            if (!double.IsNaN(a[i].Score))
            {
                Assert.Equal(e[i].Score, a[i].Score, 0.001);
            }
        }

        return e.Count;
    }

    private static List<JsonElement> Manifest(string outDir) =>
        [.. File.ReadLines(Path.Combine(outDir, "manifest.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)];

    private static ClipContent Read(string path)
    {
        using var file = File.OpenRead(path);
        return new McapClipReader().Read(file);
    }

    private string Write(ClipContent clip, string name)
    {
        var path = _dir.Combine(name);
        using var file = File.Create(path);
        new McapClipWriter().Write(clip, file);
        return path;
    }

    private static ExpectedClip ExpectedBoxes(string path) => new(Read(path));

    public void Dispose() => _dir.Dispose();

    private sealed record Box(string Class, double Score, double X, double Y, double Width, double Height);

    /// <summary>The clip as the recorder wrote it: its frames and, per frame time, the detector's boxes in pixels.</summary>
    private sealed class ExpectedClip(ClipContent clip)
    {
        private readonly Dictionary<TimeSpan, IReadOnlyList<Detection>> _boxes = clip.Signals
            .Where(s => s.Name == "shadow.boxes").ToDictionary(s => s.Sample.Time, s => s.Sample.Value.AsDetections);

        public ClipContent Clip => clip;

        public List<Frame> Frames { get; } = [.. clip.Frames.OrderBy(f => f.Time)];

        public string ModelSha => clip.Metadata["model.sha256"];

        /// <summary>Null for a frame the model did not run on (the runner drops frames while it is busy).</summary>
        public List<Box>? Boxes(Frame frame) => _boxes.TryGetValue(frame.Time, out var boxes)
            ? [.. boxes.Select(d => new Box($"class-{d.ClassId}", d.Score, d.X * frame.Width, d.Y * frame.Height, d.Width * frame.Width, d.Height * frame.Height))]
            : null;

        /// <summary>The frame an exported image holds, found through the manifest's monotonic time.</summary>
        public Frame ByImage(string outDir, string imageName)
        {
            var line = Manifest(outDir).Single(m => m.GetProperty("image").GetString() == "images/" + imageName);
            var time = TimeSpan.FromTicks(line.GetProperty("monotonic_ns").GetInt64() / 100);
            return Frames.Single(f => f.Time == time);
        }

        public string ImageOf(string outDir, Frame frame) =>
            Path.GetFileName(Manifest(outDir).Single(m => m.GetProperty("monotonic_ns").GetInt64() == frame.Time.Ticks * 100).GetProperty("image").GetString()!);
    }

    private sealed class Within(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}

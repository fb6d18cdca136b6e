using System.Numerics.Tensors;
using System.Text.Json;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Cli.Tests.Datasets;

/// <summary>
/// <c>edgectl dataset build</c> on a real agent run whose scene stands still for seconds: farthest-point
/// sampling on the recorded shadow embeddings picks frames further apart than the same number spread
/// evenly, measured here again from the clips' own embedding vectors of the frames it wrote.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DiversitySamplingTests(RepeatedSceneClips scene) : IClassFixture<RepeatedSceneClips>, IDisposable
{
    private const int Frames = 8;

    private readonly TempDirectory _dir = new("dce-dataset-out");

    [Fact]
    public async Task Build_OnALongRepeatedScene_PicksFewerNearDuplicatesThanUniform_ByTheEmbeddings()
    {
        var outDir = _dir.Combine("diverse");

        var (exit, output, error) = await Edgectl.RunAsync(
            "dataset", "build", "--catalog", scene.Catalog, "--out", outDir, "--format", "yolo", "--frames", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--duplicate-distance", "0.0001");

        Assert.True(exit == 0, error);
        Assert.Contains("picked by embedding (shadow.embedding)", output, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "dataset.json"), TestContext.Current.CancellationToken));
        var near = report.RootElement.GetProperty("nearDuplicates");
        Assert.Equal(Frames, report.RootElement.GetProperty("selected").GetInt32());
        Assert.True(report.RootElement.GetProperty("candidates").GetInt32() > 4 * Frames);

        // Measured independently: the embeddings the agent recorded for the frames written, by image time.
        var embeddings = RecordedEmbeddings(scene.Catalog);
        var picked = File.ReadLines(Path.Combine(outDir, "manifest.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(l => embeddings[(l.GetProperty("clip").GetString()!, l.GetProperty("sequence").GetInt64())])
            .ToList();
        Assert.Equal(Frames, picked.Count);
        var pickedMean = MeanNearest(picked);
        var all = embeddings.OrderBy(e => e.Key.Clip, StringComparer.Ordinal).ThenBy(e => e.Key.Sequence).Select(e => e.Value).ToList();
        var uniform = Enumerable.Range(0, Frames).Select(i => all[i * all.Count / Frames]).ToList();
        var uniformMean = MeanNearest(uniform);

        Assert.True(pickedMean > uniformMean, $"picked {pickedMean} vs uniform {uniformMean}");
        Assert.Equal(pickedMean, near.GetProperty("selected").GetProperty("meanNearestDistance").GetDouble(), 4);
        Assert.True(
            near.GetProperty("selected").GetProperty("withinThreshold").GetInt32() < near.GetProperty("uniform").GetProperty("withinThreshold").GetInt32(),
            near.GetRawText());
        Assert.True(near.GetProperty("removed").GetInt32() > 0);
        Assert.True(Directory.GetFiles(Path.Combine(scene.Catalog, "reports"), "diverse.build.*.json").Length == 1);
    }

    [Fact]
    public async Task Build_WithAPerTriggerQuota_TakesNoMoreFromOneTrigger_AndCountsWhatItPicked()
    {
        var outDir = _dir.Combine("quota");

        var (exit, _, error) = await Edgectl.RunAsync(
            "dataset", "build", "--catalog", scene.Catalog, "--out", outDir, "--format", "coco", "--frames", "50", "--per-trigger", "5");

        Assert.True(exit == 0, error);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "dataset.json"), TestContext.Current.CancellationToken));
        var byTrigger = report.RootElement.GetProperty("counts").GetProperty("selected").GetProperty("byTrigger");
        Assert.All(byTrigger.EnumerateObject(), t => Assert.InRange(t.Value.GetInt32(), 1, 5));
        Assert.Equal(File.ReadLines(Path.Combine(outDir, "manifest.jsonl")).Count(), report.RootElement.GetProperty("selected").GetInt32());
        Assert.Equal(report.RootElement.GetProperty("selected").GetInt32(), report.RootElement.GetProperty("counts").GetProperty("selected").GetProperty("byHour").EnumerateObject().Sum(h => h.Value.GetInt32()));
    }

    public void Dispose() => _dir.Dispose();

    private static Dictionary<(string Clip, long Sequence), float[]> RecordedEmbeddings(string catalog)
    {
        var vectors = new Dictionary<(string, long), float[]>();
        foreach (var record in ReceivedClipIndex.ReadAll(catalog))
        {
            using var stream = File.OpenRead(Path.Combine(catalog, record.RelativePath));
            var clip = new McapClipReader().Read(stream);
            var byTime = clip.Signals.Where(s => s.Name == "shadow.embedding" && s.Sample.Value.Kind == SignalKind.Vector)
                .ToDictionary(s => s.Sample.Time, s => s.Sample.Value.AsVector.ToArray());
            foreach (var frame in clip.Frames)
            {
                if (byTime.TryGetValue(frame.Time, out var v))
                {
                    var unit = v.ToArray();
                    TensorPrimitives.Divide(unit, MathF.Sqrt(TensorPrimitives.SumOfSquares(unit)), unit);
                    vectors[(clip.ClipId, frame.Sequence)] = unit;
                }
            }
        }

        return vectors;
    }

    private static double MeanNearest(List<float[]> vectors) =>
        vectors.Select((v, i) => vectors.Where((_, j) => j != i).Min(o => TensorPrimitives.Distance(v, o))).Average();
}

using System.Numerics.Tensors;
using System.Reflection;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Simulation;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>
/// ResNet18 from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 (downloaded by the test
/// project, found through the path the build wrote into this assembly): input <c>Input247</c>
/// [1,3,224,224], output <c>Pooling395_Output_0</c> [1,512,1,1], a feature extractor.
/// </summary>
internal static class ResNet18
{
    public static string OnnxPath { get; } = typeof(ResNet18).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ResNet18OnnxPath").Value!;

    /// <summary>As an embedder: ImageNet mean/std on 0..255 RGB, unit-length output.</summary>
    public static ShadowModelOptions EmbedderOptions(int intraOpThreads = 1)
    {
        var options = new ShadowModelOptions
        {
            Name = "resnet18",
            ModelPath = OnnxPath,
            IntraOpThreads = intraOpThreads,
            Input = new ImageInputOptions { Name = "Input247", Scale = 1f },
            Output = new ModelOutputOptions { Kind = ModelOutputKind.Embedding, Tensor = "Pooling395_Output_0" },
        };
        foreach (var (mean, std) in new[] { (123.675f, 58.395f), (116.28f, 57.12f), (103.53f, 57.375f) })
        {
            options.Input.Mean.Add(mean);
            options.Input.Std.Add(std);
        }

        return options;
    }

    /// <summary>The state rendered as the camera sends it (640×480 JPEG), through the engine, as the embedding.</summary>
    public static float[] Embed(OnnxInferenceEngine engine, SceneRenderer renderer, SceneState state)
    {
        var frame = new Frame(0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, renderer.Width, renderer.Height, "jpeg", renderer.RenderJpeg(state));
        var outputs = new SignalValue[1];
        engine.Infer(frame, outputs);
        return outputs[0].AsVector.ToArray();
    }

    /// <summary>
    /// What an embedder must keep: the cosine distance between two frames of the empty road (lane
    /// markings moved), and between the empty road and an obstacle 5 m ahead.
    /// </summary>
    public static (float EmptyToEmpty, float EmptyToObstacle) ObstacleSeparation(Func<SceneState, float[]> embed)
    {
        var empty = embed(new SceneState(-1, false, double.PositiveInfinity, false, 0.3));
        var emptyLater = embed(new SceneState(-1, false, double.PositiveInfinity, false, 0.35));
        var close = embed(new SceneState(0, true, 5, true, 0.3));
        return (1 - TensorPrimitives.CosineSimilarity<float>(empty, emptyLater), 1 - TensorPrimitives.CosineSimilarity<float>(empty, close));
    }
}

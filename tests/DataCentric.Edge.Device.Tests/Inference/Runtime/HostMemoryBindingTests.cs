using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Simulation;
using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Device.Tests.Inference.Runtime;

/// <summary>
/// The engine's I/O binding: the provider picks where the bound tensors live (managed arrays on the
/// CPU, the provider's pinned memory on a GPU, managed with a warning where a session has no pinned
/// allocator), and a bound run gives what an unbound run of the same session gives on a real model.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HostMemoryBindingTests
{
    [Fact]
    public void CpuProvider_BindsManagedArrays_WithNothingToWarnAbout()
    {
        using var engine = OnnxInferenceEngine.Load(ResNet18.EmbedderOptions(), AppContext.BaseDirectory);

        Assert.Equal(ModelExecutionProvider.Cpu, engine.Provider);
        Assert.False(engine.PinnedHostMemory);
        Assert.All(engine.OutputBuffers, o => Assert.False(o.Pinned));
        Assert.Empty(engine.Warnings);
    }

    [Theory]
    [InlineData(ModelExecutionProvider.Cuda)]
    [InlineData(ModelExecutionProvider.TensorRt)]
    public void GpuProvider_AsksForPinnedMemory_AndSaysSoWhenTheSessionHasNone(ModelExecutionProvider provider)
    {
        using var session = new InferenceSession(TestModels.Path("test-regressor.onnx"));
        var warnings = new List<string>();

        using var memory = HostTensorMemory.For(session, provider, warnings);
        using var tensor = memory.Floats([1, 3]);

        // This machine's ONNX Runtime is the CPU build: no CUDA pinned allocator to be had.
        Assert.False(memory.Pinned);
        Assert.False(tensor.Pinned);
        Assert.StartsWith("no pinned host memory for the input and outputs (", Assert.Single(warnings), StringComparison.Ordinal);
        Assert.EndsWith("they are copied to and from the GPU through pageable memory", warnings[0], StringComparison.Ordinal);
        Assert.Equal(3, tensor.Span.Length);
    }

    [Fact]
    public void CpuProvider_NeverAsksForPinnedMemory()
    {
        using var session = new InferenceSession(TestModels.Path("test-regressor.onnx"));
        var warnings = new List<string>();

        using var memory = HostTensorMemory.For(session, ModelExecutionProvider.Cpu, warnings);

        Assert.False(memory.Pinned);
        Assert.Empty(warnings);
    }

    [Fact]
    public void BoundRun_OnResNet18_GivesWhatAnUnboundRunOfTheSameInputGives()
    {
        using var engine = OnnxInferenceEngine.Load(ResNet18.EmbedderOptions(), AppContext.BaseDirectory);
        using var renderer = new SceneRenderer(640, 480, 80);
        var frame = new Frame(0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, 640, 480, "jpeg", renderer.RenderJpeg(new SceneState(0, true, 12, false, 0.3)));
        var signals = new SignalValue[1];

        // Slot 1 holds another frame, so a run that read the wrong slot would not match.
        engine.Prepare(new Frame(1, TimeSpan.Zero, DateTimeOffset.UnixEpoch, 640, 480, "jpeg", renderer.RenderJpeg(new SceneState(-1, false, double.PositiveInfinity, false, 0.3))), 1);
        engine.Infer(frame, signals);
        var bound = engine.OutputBuffers[0].Span.ToArray();

        using var runOptions = new RunOptions();
        using var unbound = engine.Session.Run(runOptions, [engine.InputName], [engine.InputValue(0)], [engine.OutputBuffers[0].Name]);
        var expected = unbound[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(512, bound.Length);
        Assert.Equal(expected.Length, bound.Length);
        Assert.True(expected.Any(v => v != 0f), "the unbound run gave all zeros");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], bound[i], 1e-4f * MathF.Max(1f, MathF.Abs(expected[i])));
        }

        // The published embedding is that output, L2-normalised.
        var norm = MathF.Sqrt(expected.Sum(v => v * v));
        Assert.Equal(expected[0] / norm, signals[0].AsVector.Span[0], 1e-5f);
    }
}

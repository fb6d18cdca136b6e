using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Device.Inference;

/// <summary>One shadow model: which file, how ONNX Runtime runs it, how frames are fed to it and how its outputs become signals.</summary>
public sealed class ShadowModelOptions
{
    [Required]
    public string Name { get; set; } = "shadow";

    /// <summary>Path of the .onnx file; relative paths are resolved against the agent's base directory.</summary>
    [Required]
    public string ModelPath { get; set; } = string.Empty;

    [Range(1, 64)]
    public int IntraOpThreads { get; set; } = 1;

    [Range(1, 64)]
    public int InterOpThreads { get; set; } = 1;

    public ModelGraphOptimization GraphOptimization { get; set; } = ModelGraphOptimization.All;

    /// <summary>
    /// Providers to try in order before the CPU (which is always last). One that is not present in
    /// this build or on this board is skipped with a warning.
    /// </summary>
    public IList<ModelExecutionProvider> ExecutionProviders { get; } = [];

    /// <summary>Run on every Nth frame (1 = every frame), e.g. an embedder on every 5th.</summary>
    [Range(1, 1000)]
    public int EveryNthFrame { get; set; } = 1;

    /// <summary>Frames queued for this model before the oldest is dropped (counted per model).</summary>
    [Range(1, 64)]
    public int QueueCapacity { get; set; } = 2;

    public ImageInputOptions Input { get; set; } = new();

    public ModelOutputOptions Output { get; set; } = new();
}

public enum ModelGraphOptimization
{
    None,
    Basic,
    Extended,
    All,
}

public enum ModelExecutionProvider
{
    Cpu,
    Cuda,
    TensorRt,
}

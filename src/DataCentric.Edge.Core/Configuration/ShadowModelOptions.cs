using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Core.Configuration;

/// <summary>One shadow model: which file, how to feed it, and which outputs become which signals.</summary>
public sealed class ShadowModelOptions
{
    public const string SectionName = "Inference";

    [Required]
    public string Name { get; set; } = "obstacle-detector";

    /// <summary>Path of the .onnx file; relative paths are resolved against the agent's base directory.</summary>
    [Required]
    public string ModelPath { get; set; } = Path.Combine("models", "obstacle-detector.onnx");

    [Required]
    public string InputName { get; set; } = "image";

    [Range(1, 64)]
    public int IntraOpThreads { get; set; } = 1;

    [Range(1, 64)]
    public int InterOpThreads { get; set; } = 1;

    /// <summary>Pixels (0..255) are multiplied by this before they reach the model.</summary>
    public float PixelScale { get; set; } = 1f / 255f;

    /// <summary>Regression outputs: tensor name → signal name; the tensor's first element is published.</summary>
    public IDictionary<string, string> ScalarOutputs { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Frames queued for this model before the oldest is dropped (counted).</summary>
    [Range(1, 64)]
    public int QueueCapacity { get; set; } = 2;
}

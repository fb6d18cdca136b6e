using System.ComponentModel.DataAnnotations;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Inference;

/// <summary>How a model's output tensors become signals. Which fields apply depends on <see cref="Kind"/>.</summary>
public sealed class ModelOutputOptions
{
    public ModelOutputKind Kind { get; set; } = ModelOutputKind.Regression;

    /// <summary>The output tensor (classification, YOLO detection, embedding).</summary>
    public string? Tensor { get; set; }

    /// <summary>Classification: apply softmax to the scores (off when the model already outputs probabilities).</summary>
    public bool Softmax { get; set; } = true;

    /// <summary>Classification: how many best classes to publish; rank r &gt; 1 goes to <c>&lt;signal&gt;.r</c>.</summary>
    [Range(1, 20)]
    public int TopK { get; set; } = 1;

    /// <summary>Classification: one label per line; with it the class signal is text, without it the class index.</summary>
    public string? LabelsPath { get; set; }

    public string ClassSignal { get; set; } = "shadow.class";

    public string ScoreSignal { get; set; } = "shadow.score";

    public DetectionLayout DetectionLayout { get; set; } = DetectionLayout.YoloV8;

    /// <summary>SSD: boxes [1, N, 4] as (ymin, xmin, ymax, xmax) normalised, and scores [1, N, classes].</summary>
    public string? BoxesTensor { get; set; }

    public string? ScoresTensor { get; set; }

    [Range(0.0, 1.0)]
    public float ScoreThreshold { get; set; } = 0.25f;

    [Range(0.0, 1.0)]
    public float IouThreshold { get; set; } = 0.45f;

    [Range(1, 1000)]
    public int MaxDetections { get; set; } = 100;

    public string BoxesSignal { get; set; } = "shadow.boxes";

    /// <summary>Regression: <c>tensor</c> or <c>tensor[i]</c> (flat element index) → signal name, e.g. <c>steer → shadow.steer</c>.</summary>
    public IDictionary<string, string> Scalars { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public string EmbeddingSignal { get; set; } = "shadow.embedding";

    /// <summary>Embedding: scale the vector to unit length, so distances compare across frames.</summary>
    public bool L2Normalize { get; set; } = true;

    /// <summary>
    /// The signals this output publishes, known from configuration alone (also when the model fails
    /// to load): its adapter's signals (<see cref="OutputAdapterDescriptor.Signals"/>); none for a
    /// <see cref="Kind"/> that names no adapter, which <see cref="Problems"/> reports.
    /// </summary>
    public IEnumerable<string> SignalNames() => OutputAdapter.Find(Kind) is { } adapter ? adapter.Signals(this).Select(s => s.Name) : [];

    public IEnumerable<string> Problems()
    {
        const string Output = "Output";
        if (OutputAdapter.Find(Kind) is not { } adapter)
        {
            yield return $"{Output}:{nameof(Kind)}: {Kind} is not one of {string.Join(", ", OutputAdapter.Descriptors.Select(d => d.Kind))}";
            yield break;
        }

        foreach (var problem in adapter.Problems(this))
        {
            yield return problem;
        }

        if (SignalNames().Any(string.IsNullOrWhiteSpace))
        {
            yield return $"{Output}: signal names must not be empty";
        }

        // The prefix marks a signal as stamped with its frame's time: triggers are evaluated at that frame.
        var configured = adapter.ConfiguredSignalNames?.Invoke(this) ?? SignalNames();
        foreach (var name in configured.Where(n => !string.IsNullOrWhiteSpace(n) && !SignalPrefixes.IsModelOutput(n)))
        {
            yield return $"{Output}: signal '{name}' must start with '{SignalPrefixes.ModelOutput}' (model outputs are named shadow.*)";
        }
    }
}

public enum ModelOutputKind
{
    Classification,
    Detection,
    Regression,
    Embedding,
}

public enum DetectionLayout
{
    /// <summary>[1, N, 5 + classes]: cx, cy, w, h, objectness, class scores (input pixels).</summary>
    YoloV5,

    /// <summary>[1, 4 + classes, N]: cx, cy, w, h, class scores (input pixels), no objectness.</summary>
    YoloV8,

    /// <summary>Separate boxes and scores tensors (see <see cref="ModelOutputOptions.BoxesTensor"/>).</summary>
    Ssd,
}

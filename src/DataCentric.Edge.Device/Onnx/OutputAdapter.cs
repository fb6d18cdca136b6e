using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Onnx;

/// <summary>
/// Turns a model's output tensors into signals, per <see cref="ModelOutputOptions"/>. The signals
/// are known from configuration alone, so the trigger set can name them even when the model is broken.
/// </summary>
internal abstract class OutputAdapter
{
    /// <summary>The signals, in the order <see cref="Write"/> fills them.</summary>
    public static IReadOnlyList<(string Name, SignalKind Kind)> SignalsOf(ModelOutputOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            ModelOutputKind.Classification => ClassificationAdapter.Signals(options),
            ModelOutputKind.Detection => [(options.BoxesSignal, SignalKind.Detections)],
            ModelOutputKind.Embedding => [(options.EmbeddingSignal, SignalKind.Vector)],
            _ => [.. options.Scalars.Values.Select(s => (s, SignalKind.Number))],
        };
    }

    /// <summary>The output tensors the adapter reads.</summary>
    public static IReadOnlyList<string> TensorsOf(ModelOutputOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            ModelOutputKind.Regression => [.. options.Scalars.Keys.Select(k => RegressionAdapter.Parse(k).Tensor).Distinct(StringComparer.Ordinal)],
            ModelOutputKind.Detection when options.DetectionLayout == DetectionLayout.Ssd => [options.BoxesTensor!, options.ScoresTensor!],
            _ => [options.Tensor!],
        };
    }

    /// <exception cref="ModelConfigurationException">A tensor's shape does not fit the adapter, or the labels file does not match.</exception>
    public static OutputAdapter Create(ShadowModelOptions model, string baseDirectory, IReadOnlyDictionary<string, TensorBuffer> outputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        var options = model.Output;
        return options.Kind switch
        {
            ModelOutputKind.Classification => new ClassificationAdapter(model.Name, options, baseDirectory, outputs[options.Tensor!]),
            ModelOutputKind.Detection => new DetectionAdapter(model.Name, options, outputs),
            ModelOutputKind.Embedding => new EmbeddingAdapter(options, outputs[options.Tensor!]),
            _ => new RegressionAdapter(model.Name, options, outputs),
        };
    }

    /// <summary>Reads the output tensors of the last run into <paramref name="signals"/>.</summary>
    /// <param name="area">Where the image lies in the model input, to map boxes back onto the image.</param>
    public abstract void Write(ContentArea area, Span<SignalValue> signals);
}

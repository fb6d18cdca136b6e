using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// Turns a model's output tensors into signals, per <see cref="ModelOutputOptions"/>. The signals
/// are known from configuration alone, so the trigger set can name them even when the model is broken.
/// </summary>
internal abstract class OutputAdapter
{
    /// <summary>
    /// Every output adapter, one per <see cref="ModelOutputKind"/>: an explicit list (the agent is
    /// published Native AOT, nothing is discovered). A new adapter adds its line here.
    /// </summary>
    public static IReadOnlyList<OutputAdapterDescriptor> Descriptors { get; } =
    [
        ClassificationAdapter.Descriptor,
        DetectionAdapter.Descriptor,
        RegressionAdapter.Descriptor,
        EmbeddingAdapter.Descriptor,
    ];

    /// <summary>The adapter for <paramref name="kind"/>, or null for a value that names none.</summary>
    public static OutputAdapterDescriptor? Find(ModelOutputKind kind)
    {
        foreach (var descriptor in Descriptors)
        {
            if (descriptor.Kind == kind)
            {
                return descriptor;
            }
        }

        return null;
    }

    /// <exception cref="ArgumentOutOfRangeException">No adapter for the kind (configuration validation reports it first).</exception>
    public static OutputAdapterDescriptor Describe(ModelOutputKind kind) =>
        Find(kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "No output adapter for this kind.");

    /// <summary>The signals, in the order <see cref="Write"/> fills them.</summary>
    public static IReadOnlyList<(string Name, SignalKind Kind)> SignalsOf(ModelOutputOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Describe(options.Kind).Signals(options);
    }

    /// <summary>The output tensors the adapter reads.</summary>
    public static IReadOnlyList<string> TensorsOf(ModelOutputOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Describe(options.Kind).Tensors(options);
    }

    /// <exception cref="ModelConfigurationException">A tensor's shape does not fit the adapter, or the labels file does not match.</exception>
    public static OutputAdapter Create(ShadowModelOptions model, string baseDirectory, IReadOnlyDictionary<string, TensorBuffer> outputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Describe(model.Output.Kind).Create(model, baseDirectory, outputs);
    }

    /// <summary>Reads the output tensors of the last run into <paramref name="signals"/>.</summary>
    /// <param name="area">Where the image lies in the model input, to map boxes back onto the image.</param>
    public abstract void Write(ContentArea area, Span<SignalValue> signals);
}

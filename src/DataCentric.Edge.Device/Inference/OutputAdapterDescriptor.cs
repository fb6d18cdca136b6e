using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Inference;

/// <summary>Makes the adapter for a loaded model from its configuration and its measured output tensors.</summary>
/// <exception cref="ModelConfigurationException">A tensor's shape does not fit the adapter (or a file it reads does not match).</exception>
internal delegate OutputAdapter OutputAdapterFactory(ShadowModelOptions model, string baseDirectory, IReadOnlyDictionary<string, TensorBuffer> outputs);

/// <summary>
/// Everything the agent knows about one <see cref="ModelOutputKind"/>, in one place: the signals it
/// publishes (also what configuration validation checks), the output tensors it reads, its
/// kind-specific configuration problems and how to make it. Each adapter declares its own next to
/// its code; <see cref="OutputAdapter.Descriptors"/> lists them all.
/// </summary>
internal sealed class OutputAdapterDescriptor
{
    public required ModelOutputKind Kind { get; init; }

    /// <summary>The signals, in the order <see cref="OutputAdapter.Write"/> fills them, known from configuration alone.</summary>
    public required Func<ModelOutputOptions, IReadOnlyList<(string Name, SignalKind Kind)>> Signals { get; init; }

    /// <summary>
    /// The signal names as written in configuration, checked for the <c>shadow.</c> prefix, where
    /// <see cref="Signals"/> derives more names from them (classification's ranks); null: the names of <see cref="Signals"/>.
    /// </summary>
    public Func<ModelOutputOptions, IEnumerable<string>>? ConfiguredSignalNames { get; init; }

    /// <summary>The output tensors the adapter reads (each must exist and be float).</summary>
    public required Func<ModelOutputOptions, IReadOnlyList<string>> Tensors { get; init; }

    /// <summary>What is missing or wrong in the configuration for this kind, as <c>Output…: message</c>; the checks common to every kind come after.</summary>
    public Func<ModelOutputOptions, IEnumerable<string>> Problems { get; init; } = _ => [];

    public required OutputAdapterFactory Create { get; init; }

    /// <summary>The problem for kinds that read one tensor named by <see cref="ModelOutputOptions.Tensor"/>.</summary>
    public static IEnumerable<string> TensorRequired(ModelOutputOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.Tensor) ? [$"Output:{nameof(ModelOutputOptions.Tensor)}: required for {options.Kind}"] : [];
    }
}

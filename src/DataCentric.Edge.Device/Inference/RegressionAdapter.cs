using System.Globalization;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Inference;

/// <summary>Named scalars: element i of a tensor (the first when no index is given) → a number signal, e.g. <c>shadow.steer</c>.</summary>
internal sealed class RegressionAdapter : OutputAdapter
{
    public static OutputAdapterDescriptor Descriptor { get; } = new()
    {
        Kind = ModelOutputKind.Regression,
        Signals = options => [.. options.Scalars.Values.Select(s => (s, SignalKind.Number))],
        Tensors = options => [.. options.Scalars.Keys.Select(k => Parse(k).Tensor).Distinct(StringComparer.Ordinal)],
        Problems = options => options.Scalars.Count == 0 ? [$"Output:{nameof(ModelOutputOptions.Scalars)}: give at least one tensor → signal"] : [],
        Create = (model, _, outputs) => new RegressionAdapter(model.Name, model.Output, outputs),
    };

    private readonly TensorBuffer[] _tensors;
    private readonly int[] _indexes;

    public RegressionAdapter(string model, ModelOutputOptions options, IReadOnlyDictionary<string, TensorBuffer> outputs)
    {
        var entries = options.Scalars.Keys.Select(Parse).ToArray();
        _tensors = new TensorBuffer[entries.Length];
        _indexes = new int[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var (tensor, index) = entries[i];
            var buffer = outputs[tensor];
            if (index >= buffer.Length)
            {
                throw new ModelConfigurationException(
                    $"Model '{model}': Output:Scalars asks for element {index} of {buffer.Describe()}, which has {buffer.Length} elements.");
            }

            _tensors[i] = buffer;
            _indexes[i] = index;
        }
    }

    /// <summary><c>steer</c> → (steer, 0); <c>controls[1]</c> → (controls, 1).</summary>
    public static (string Tensor, int Index) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var open = key.LastIndexOf('[');
        if (open > 0 && key.EndsWith(']') &&
            int.TryParse(key.AsSpan(open + 1, key.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return (key[..open], index);
        }

        return (key, 0);
    }

    public override void Write(ContentArea area, Span<SignalValue> signals)
    {
        for (var i = 0; i < _tensors.Length; i++)
        {
            signals[i] = SignalValue.FromNumber(_tensors[i].Span[_indexes[i]]);
        }
    }
}

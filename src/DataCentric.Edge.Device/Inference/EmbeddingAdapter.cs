using System.Numerics.Tensors;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// The flattened output as a vector signal, L2-normalised if configured. The bus keeps the vector
/// (history, recorder), so each frame gets its own array: the one allocation per frame, of the
/// payload's size.
/// </summary>
internal sealed class EmbeddingAdapter(ModelOutputOptions options, TensorBuffer tensor) : OutputAdapter
{
    public static OutputAdapterDescriptor Descriptor { get; } = new()
    {
        Kind = ModelOutputKind.Embedding,
        Signals = options => [(options.EmbeddingSignal, SignalKind.Vector)],
        Tensors = options => [options.Tensor!],
        Problems = OutputAdapterDescriptor.TensorRequired,
        Create = (model, _, outputs) => new EmbeddingAdapter(model.Output, outputs[model.Output.Tensor!]),
    };

    private readonly bool _normalise = options.L2Normalize;

    public override void Write(ContentArea area, Span<SignalValue> signals)
    {
        var source = tensor.Span;
        var vector = GC.AllocateUninitializedArray<float>(source.Length);
        if (_normalise)
        {
            var norm = MathF.Sqrt(TensorPrimitives.SumOfSquares(source));
            if (norm > 0f)
            {
                TensorPrimitives.Divide(source, norm, vector);
                signals[0] = SignalValue.FromVector(vector);
                return;
            }
        }

        source.CopyTo(vector);
        signals[0] = SignalValue.FromVector(vector);
    }
}

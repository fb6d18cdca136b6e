using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Contracts;

/// <summary>Runs the shadow model (or each of the models) on frames and turns their tensors into signals.</summary>
public interface IInferenceEngine : IDisposable
{
    /// <summary>One per configured model, in configuration order.</summary>
    IReadOnlyList<ModelInfo> Models { get; }

    /// <summary>The signals this engine produces, in the order <see cref="Infer"/> fills them.</summary>
    IReadOnlyList<(string Name, SignalKind Kind)> Outputs { get; }

    /// <summary>Runs the model on one frame and writes one value per entry of <see cref="Outputs"/>.</summary>
    /// <exception cref="InvalidDataException">The frame cannot be decoded or has the wrong size.</exception>
    void Infer(Frame frame, Span<SignalValue> outputs);
}

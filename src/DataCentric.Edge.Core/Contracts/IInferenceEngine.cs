using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Contracts;

/// <summary>Runs one shadow model on frames and turns its tensors into signals.</summary>
public interface IInferenceEngine : IDisposable
{
    ModelInfo Model { get; }

    /// <summary>The signals this engine produces, in the order <see cref="Infer"/> fills them.</summary>
    IReadOnlyList<(string Name, SignalKind Kind)> Outputs { get; }

    /// <summary>Runs the model on one frame and writes one value per entry of <see cref="Outputs"/>.</summary>
    /// <exception cref="InvalidDataException">The frame cannot be decoded or has the wrong size.</exception>
    void Infer(Frame frame, Span<SignalValue> outputs);
}

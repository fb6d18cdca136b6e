using DataCentric.Edge.Core.Contracts;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// One input buffer of an engine, bound once with the engine's outputs: a frame is written into it
/// (decode, resize, normalise) and the session then runs on it. An engine has two, so the next
/// frame can be prepared in one while the model runs on the other.
/// </summary>
internal sealed class InputSlot : IDisposable
{
    private readonly HostTensor<float>? _floats;
    private readonly HostTensor<byte>? _bytes;
    private OrtIoBinding? _binding;

    public InputSlot(InputPlan plan, HostTensorMemory memory)
    {
        if (plan.Element == TensorElementType.Float)
        {
            _floats = memory.Floats(plan.Shape);
        }
        else
        {
            _bytes = memory.Bytes(plan.Shape);
        }
    }

    public OrtValue Value => _floats?.Value ?? _bytes!.Value;

    public bool Pinned => _floats?.Pinned ?? _bytes!.Pinned;

    /// <summary>Where the last written frame lies in the input (for mapping boxes back).</summary>
    public ContentArea Area { get; private set; }

    public OrtIoBinding Binding => _binding ?? throw new InvalidOperationException("The input slot is not bound yet.");

    /// <exception cref="InvalidDataException">The frame cannot be decoded; the slot keeps its last frame's area.</exception>
    public void Write(ImagePreprocessor preprocessor, Frame frame)
    {
        if (_floats is not null)
        {
            preprocessor.Write(frame.Format, frame.Width, frame.Height, frame.Data, _floats.Span);
        }
        else
        {
            preprocessor.Write(frame.Format, frame.Width, frame.Height, frame.Data, _bytes!.Span);
        }

        Area = preprocessor.ContentArea;
    }

    /// <summary>Binds this input and the outputs once: a run then marshals no names and allocates no result collection.</summary>
    public void Bind(InferenceSession session, string inputName, IEnumerable<TensorBuffer> outputs)
    {
        _binding = session.CreateIoBinding();
        _binding.BindInput(inputName, Value);
        foreach (var output in outputs)
        {
            _binding.BindOutput(output.Name, output.Value);
        }
    }

    public void Dispose()
    {
        _binding?.Dispose();
        _floats?.Dispose();
        _bytes?.Dispose();
    }
}

using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Device.Inference;

/// <summary>An output tensor: its shape and the host memory ONNX Runtime writes it into, bound once.</summary>
internal sealed class TensorBuffer(string name, long[] shape, HostTensorMemory memory) : IDisposable
{
    private readonly HostTensor<float> _tensor = memory.Floats(shape);

    public string Name { get; } = name;

    public long[] Shape { get; } = shape;

    /// <summary>The last run's values; valid until the next run.</summary>
    public ReadOnlySpan<float> Span => _tensor.Span;

    public int Length => _tensor.Length;

    public bool Pinned => _tensor.Pinned;

    /// <summary>Over the memory above, so ONNX Runtime writes the results in place.</summary>
    public OrtValue Value => _tensor.Value;

    public string Describe() => $"'{Name}' [{string.Join(",", Shape)}]";

    public void Dispose() => _tensor.Dispose();
}

using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Device.Inference;

/// <summary>An output tensor: its shape, the array ONNX Runtime writes into, and the value over that array.</summary>
internal sealed class TensorBuffer(string name, long[] shape) : IDisposable
{
    public string Name { get; } = name;

    public long[] Shape { get; } = shape;

    public float[] Data { get; } = new float[shape.Aggregate(1L, (a, b) => a * b)];

    /// <summary>Created once over <see cref="Data"/>, so ONNX Runtime writes the results in place.</summary>
    public OrtValue Value => _value ??= OrtValue.CreateTensorValueFromMemory(Data, Shape);

    public string Describe() => $"'{Name}' [{string.Join(",", Shape)}]";

    private OrtValue? _value;

    public void Dispose() => _value?.Dispose();
}

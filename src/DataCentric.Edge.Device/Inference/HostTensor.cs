using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// A tensor the engine writes or reads on the host: a managed array, or page-locked memory from a
/// GPU provider's pinned allocator (<see cref="HostTensorMemory"/>). The <see cref="Value"/> is
/// made once over that memory, so binding it costs nothing per run.
/// </summary>
internal sealed class HostTensor<T> : IDisposable
    where T : unmanaged
{
    private readonly T[]? _array;
    private readonly IntPtr _pointer;

    public HostTensor(T[] array, long[] shape)
    {
        _array = array;
        Length = array.Length;
        Value = OrtValue.CreateTensorValueFromMemory(array, shape);
    }

    /// <summary>Takes ownership of <paramref name="value"/>, a tensor ONNX Runtime allocated in pinned memory.</summary>
    public unsafe HostTensor(OrtValue value)
    {
        Value = value;
        Length = (int)value.GetTensorTypeAndShape().ElementCount;
        fixed (byte* data = value.GetTensorMutableRawData())
        {
            _pointer = (IntPtr)data;
        }
    }

    public OrtValue Value { get; }

    public int Length { get; }

    /// <summary>True when the memory is page-locked (a GPU provider's), false for a managed array.</summary>
    public bool Pinned => _array is null;

    public unsafe Span<T> Span => _array is not null ? _array : new Span<T>((void*)_pointer, Length);

    public void Dispose() => Value.Dispose();
}

using DataCentric.Edge.Core.Configuration;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// Where an engine's bound input and output tensors live. On the CPU provider: managed arrays (ONNX
/// Runtime reads and writes them in place). On a GPU provider: page-locked host memory from the
/// provider's pinned allocator, so the one copy to the GPU and the one copy back per run are direct
/// DMA transfers instead of copies staged through the driver's own pinned buffer. Where the session
/// has no pinned allocator, managed arrays with a warning that says so.
/// </summary>
internal sealed class HostTensorMemory : IDisposable
{
    private readonly OrtMemoryInfo? _info;
    private readonly OrtAllocator? _allocator;

    private HostTensorMemory(OrtMemoryInfo? info, OrtAllocator? allocator)
    {
        _info = info;
        _allocator = allocator;
    }

    /// <summary>True when tensors are allocated in the provider's pinned host memory.</summary>
    public bool Pinned => _allocator is not null;

    /// <summary>Pinned memory for a GPU provider, managed arrays for the CPU.</summary>
    public static HostTensorMemory For(InferenceSession session, ModelExecutionProvider provider, ICollection<string>? warnings = null) =>
        provider == ModelExecutionProvider.Cpu ? Managed() : FromPinnedAllocator(session, warnings);

    public static HostTensorMemory Managed() => new(null, null);

    /// <summary>The session's CUDA pinned allocator; managed arrays (and a warning) where it has none.</summary>
    public static HostTensorMemory FromPinnedAllocator(InferenceSession session, ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        OrtMemoryInfo? info = null;
        try
        {
            info = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA_PINNED, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.CpuOutput);
            return new HostTensorMemory(info, new OrtAllocator(session, info));
        }
        catch (OnnxRuntimeException e)
        {
            info?.Dispose();
            warnings?.Add($"no pinned host memory for the input and outputs ({e.Message}); they are copied to and from the GPU through pageable memory");
            return Managed();
        }
    }

    public HostTensor<float> Floats(long[] shape) =>
        _allocator is null
            ? new HostTensor<float>(new float[ElementCount(shape)], shape)
            : new HostTensor<float>(OrtValue.CreateAllocatedTensorValue(_allocator, TensorElementType.Float, shape));

    public HostTensor<byte> Bytes(long[] shape) =>
        _allocator is null
            ? new HostTensor<byte>(new byte[ElementCount(shape)], shape)
            : new HostTensor<byte>(OrtValue.CreateAllocatedTensorValue(_allocator, TensorElementType.UInt8, shape));

    private static int ElementCount(long[] shape) => checked((int)shape.Aggregate(1L, (a, b) => a * b));

    /// <summary>After every tensor allocated from it is disposed.</summary>
    public void Dispose()
    {
        _allocator?.Dispose();
        _info?.Dispose();
    }
}

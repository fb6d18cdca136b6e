using DataCentric.Edge.Core.Configuration;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// The model's image input checked against <see cref="ImageInputOptions"/>, with its buffer and
/// pre-processor. On the CPU the buffer is a managed array; on a GPU provider it is page-locked
/// host memory from the provider's pinned allocator, so ONNX Runtime's one copy to the GPU per run
/// is a direct DMA instead of a staged copy from pageable memory.
/// </summary>
internal sealed class InputPlan : IDisposable
{
    private readonly OrtMemoryInfo? _pinnedInfo;
    private readonly OrtAllocator? _pinned;

    private InputPlan(string name, ImagePreprocessor preprocessor, float[]? floats, byte[]? bytes, OrtValue value, OrtMemoryInfo? pinnedInfo = null, OrtAllocator? pinned = null)
    {
        Name = name;
        Preprocessor = preprocessor;
        Floats = floats;
        Bytes = bytes;
        Value = value;
        _pinnedInfo = pinnedInfo;
        _pinned = pinned;
        var typeAndShape = value.GetTensorTypeAndShape();
        Element = typeAndShape.ElementDataType;
        PinnedLength = (int)typeAndShape.ElementCount;
        PinnedData = pinned is null ? IntPtr.Zero : PinnedAddress(value);
    }

    public TensorElementType Element { get; }

    /// <summary>The pinned buffer (elements of <see cref="Element"/>), or zero when the input is a managed array.</summary>
    public IntPtr PinnedData { get; }

    public int PinnedLength { get; }

    public string Name { get; }

    public ImagePreprocessor Preprocessor { get; }

    public float[]? Floats { get; }

    public byte[]? Bytes { get; }

    public OrtValue Value { get; }

    /// <param name="pinned">Allocate the buffer in pinned host memory (a GPU provider runs the model); falls back to a managed array where the session has no pinned allocator.</param>
    /// <exception cref="ModelConfigurationException">The model's input does not match the configured pre-processing.</exception>
    public static InputPlan Create(InferenceSession session, ShadowModelOptions model, bool pinned = false, ICollection<string>? warnings = null)
    {
        var options = model.Input;
        var name = options.Name;
        if (!session.InputMetadata.TryGetValue(name, out var input))
        {
            throw Mismatch(model, $"no input named '{name}' (Input:Name); the model has {string.Join(", ", session.InputMetadata.Keys)}");
        }

        if (session.InputMetadata.Count > 1)
        {
            throw Mismatch(model, $"it has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}); only single-image-input models are supported");
        }

        var expectedType = options.Element == TensorElement.Float32 ? TensorElementType.Float : TensorElementType.UInt8;
        var dims = input.Dimensions;
        var shape = $"{input.ElementDataType}[{string.Join(",", dims)}]";
        if (input.ElementDataType != expectedType)
        {
            throw Mismatch(model, $"input '{name}' is {shape} but Input:Element is {options.Element}");
        }

        if (dims.Length != 4 || dims[0] > 1)
        {
            throw Mismatch(model, $"input '{name}' is {shape}; expected a single image [1,3,H,W] (NCHW) or [1,H,W,3] (NHWC)");
        }

        var (channelAxis, heightAxis, widthAxis) = options.Layout == TensorLayout.Nchw ? (1, 2, 3) : (3, 1, 2);
        if (dims[channelAxis] != 3)
        {
            var other = options.Layout == TensorLayout.Nchw ? TensorLayout.Nhwc : TensorLayout.Nchw;
            var hint = dims[other == TensorLayout.Nchw ? 1 : 3] == 3 ? $" (it looks {other})" : string.Empty;
            throw Mismatch(model, $"input '{name}' is {shape}: Input:Layout {options.Layout} needs 3 channels on axis {channelAxis}{hint}");
        }

        var height = Resolve(model, name, "Height", dims[heightAxis], options.Height);
        var width = Resolve(model, name, "Width", dims[widthAxis], options.Width);
        long[] tensorShape = options.Layout == TensorLayout.Nchw ? [1, 3, height, width] : [1, height, width, 3];
        var preprocessor = new ImagePreprocessor(options, width, height);
        if (pinned && CreatePinned(session, name, preprocessor, expectedType, tensorShape, warnings) is { } plan)
        {
            return plan;
        }

        if (options.Element == TensorElement.Float32)
        {
            var floats = new float[3 * width * height];
            return new InputPlan(name, preprocessor, floats, null, OrtValue.CreateTensorValueFromMemory(floats, tensorShape));
        }

        var bytes = new byte[3 * width * height];
        return new InputPlan(name, preprocessor, null, bytes, OrtValue.CreateTensorValueFromMemory(bytes, tensorShape));
    }

    private static InputPlan? CreatePinned(InferenceSession session, string name, ImagePreprocessor preprocessor, TensorElementType type, long[] shape, ICollection<string>? warnings)
    {
        OrtMemoryInfo? info = null;
        OrtAllocator? allocator = null;
        try
        {
            info = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA_PINNED, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.CpuOutput);
            allocator = new OrtAllocator(session, info);
            var value = OrtValue.CreateAllocatedTensorValue(allocator, type, shape);
            return new InputPlan(name, preprocessor, null, null, value, info, allocator);
        }
        catch (OnnxRuntimeException e)
        {
            allocator?.Dispose();
            info?.Dispose();
            warnings?.Add($"no pinned host memory for the input ({e.Message}); it is copied to the GPU from pageable memory");
            return null;
        }
    }

    private static unsafe IntPtr PinnedAddress(OrtValue value)
    {
        fixed (byte* data = value.GetTensorMutableRawData())
        {
            return (IntPtr)data;
        }
    }

    private static int Resolve(ShadowModelOptions model, string input, string what, int fromModel, int configured)
    {
        if (fromModel > 0 && configured > 0 && fromModel != configured)
        {
            throw Mismatch(model, $"input '{input}' has {what.ToLowerInvariant()} {fromModel} but Input:{what} is {configured}");
        }

        if (fromModel <= 0 && configured <= 0)
        {
            throw Mismatch(model, $"input '{input}' has a dynamic {what.ToLowerInvariant()}: set Input:{what}");
        }

        return fromModel > 0 ? fromModel : configured;
    }

    private static ModelConfigurationException Mismatch(ShadowModelOptions model, string what) =>
        new($"Model '{model.Name}' does not match its configuration: {what}.");

    public void Dispose()
    {
        Value.Dispose();
        _pinned?.Dispose();
        _pinnedInfo?.Dispose();
        Preprocessor.Dispose();
    }
}

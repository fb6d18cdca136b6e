using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DataCentric.Edge.Bench.Inference;

/// <summary>
/// (a) The baseline: ONNX Runtime alone on a tensor that is already prepared, input and output
/// bound once. On CUDA both live in page-locked host memory from the CUDA provider's pinned
/// allocator, so a run is one host-to-GPU copy, the model, and one GPU-to-host copy: the least
/// any caller that needs the result on the host can do.
/// </summary>
internal sealed class BareOnnxRuntime : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtMemoryInfo? _pinnedInfo;
    private readonly OrtAllocator? _pinned;
    private readonly OrtValue _input;
    private readonly OrtValue _output;
    private readonly OrtIoBinding _binding;

    public BareOnnxRuntime(string modelPath, int intraOpThreads, bool cuda = false)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (cuda)
        {
            options.AppendExecutionProvider_CUDA(0);
        }

        _session = new InferenceSession(modelPath, options);
        long[] inputShape = [1, 3, 224, 224];
        long[] outputShape = [1, 512, 1, 1];
        if (cuda)
        {
            _pinnedInfo = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA_PINNED, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.CpuOutput);
            _pinned = new OrtAllocator(_session, _pinnedInfo);
            _input = OrtValue.CreateAllocatedTensorValue(_pinned, TensorElementType.Float, inputShape);
            _output = OrtValue.CreateAllocatedTensorValue(_pinned, TensorElementType.Float, outputShape);
        }
        else
        {
            _input = OrtValue.CreateTensorValueFromMemory(new float[3 * 224 * 224], inputShape);
            _output = OrtValue.CreateTensorValueFromMemory(new float[512], outputShape);
        }

        var input = _input.GetTensorMutableDataAsSpan<float>();
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (i % 255) / 255f;
        }

        _binding = _session.CreateIoBinding();
        _binding.BindInput("Input247", _input);
        _binding.BindOutput("Pooling395_Output_0", _output);
    }

    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _output.Dispose();
        _input.Dispose();
        _pinned?.Dispose();
        _pinnedInfo?.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}

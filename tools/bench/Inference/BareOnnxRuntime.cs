using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Bench.Inference;

/// <summary>(a) The baseline: ONNX Runtime alone on a tensor that is already prepared, outputs bound once.</summary>
internal sealed class BareOnnxRuntime : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _input;
    private readonly OrtValue _output;
    private readonly OrtIoBinding _binding;

    public BareOnnxRuntime(string modelPath, int intraOpThreads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelPath, options);
        var input = new float[3 * 224 * 224];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (i % 255) / 255f;
        }

        _input = OrtValue.CreateTensorValueFromMemory(input, [1, 3, 224, 224]);
        _output = OrtValue.CreateTensorValueFromMemory(new float[512], [1, 512, 1, 1]);
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
        _runOptions.Dispose();
        _session.Dispose();
    }
}

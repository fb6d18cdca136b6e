using DataCentric.Edge.Core.Configuration;
using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// ONNX Runtime session options from a model's configuration. Accelerators are appended in the
/// configured order when this build of ONNX Runtime has them; one that is missing or fails to start
/// (no CUDA libraries on the board) is skipped with a warning, and the CPU always remains.
/// </summary>
internal static class SessionOptionsFactory
{
    /// <param name="provider">The provider that runs the model: the first accelerator that started, else the CPU.</param>
    /// <param name="tensorRtCache">Where TensorRT keeps built engines (created here when TensorRT is asked for).</param>
    public static SessionOptions Create(ShadowModelOptions model, TensorRtOptions tensorRt, string tensorRtCache, ICollection<string> warnings, out ModelExecutionProvider provider)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = model.IntraOpThreads,
            InterOpNumThreads = model.InterOpThreads,
            GraphOptimizationLevel = model.GraphOptimization switch
            {
                ModelGraphOptimization.None => GraphOptimizationLevel.ORT_DISABLE_ALL,
                ModelGraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                ModelGraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
        };
        provider = ModelExecutionProvider.Cpu;
        var available = OrtEnv.Instance().GetAvailableProviders();
        foreach (var wanted in model.ExecutionProviders.TakeWhile(p => p != ModelExecutionProvider.Cpu))
        {
            var ortName = OrtName(wanted);
            if (!available.Contains(ortName, StringComparer.Ordinal))
            {
                warnings.Add($"{wanted} requested but this ONNX Runtime build has only {string.Join(", ", available)}; using the next provider");
                continue;
            }

            try
            {
                if (wanted == ModelExecutionProvider.Cuda)
                {
                    options.AppendExecutionProvider_CUDA(0);
                }
                else
                {
                    AppendTensorRt(options, tensorRt, tensorRtCache);
                }

                // Further accelerators are appended too: ONNX Runtime gives each node to the first that takes it.
                if (provider == ModelExecutionProvider.Cpu)
                {
                    provider = wanted;
                }
            }
            catch (OnnxRuntimeException e)
            {
                warnings.Add($"{wanted} could not start ({e.Message}); using the next provider");
            }
        }

        return options;
    }

    /// <summary>ONNX Runtime's name for the provider, as <see cref="OrtEnv.GetAvailableProviders"/> lists it.</summary>
    public static string OrtName(ModelExecutionProvider provider) => provider switch
    {
        ModelExecutionProvider.Cuda => "CUDAExecutionProvider",
        ModelExecutionProvider.TensorRt => "TensorrtExecutionProvider",
        _ => "CPUExecutionProvider",
    };

    private static void AppendTensorRt(SessionOptions options, TensorRtOptions tensorRt, string cache)
    {
        Directory.CreateDirectory(cache);
        using var trt = new OrtTensorRTProviderOptions();
        trt.UpdateOptions(new Dictionary<string, string>
        {
            ["device_id"] = "0",
            // The first start builds an engine per model and input shape (minutes on a Jetson); later starts load it.
            ["trt_engine_cache_enable"] = "1",
            ["trt_engine_cache_path"] = cache,
            ["trt_timing_cache_enable"] = "1",
            ["trt_timing_cache_path"] = cache,
            ["trt_fp16_enable"] = tensorRt.Fp16 ? "1" : "0",
        });
        options.AppendExecutionProvider_Tensorrt(trt);
    }
}

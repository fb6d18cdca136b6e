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
    public static SessionOptions Create(ShadowModelOptions model, ICollection<string> warnings)
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
        var available = OrtEnv.Instance().GetAvailableProviders();
        foreach (var provider in model.ExecutionProviders.Where(p => p != ModelExecutionProvider.Cpu))
        {
            var ortName = provider == ModelExecutionProvider.Cuda ? "CUDAExecutionProvider" : "TensorrtExecutionProvider";
            if (!available.Contains(ortName, StringComparer.Ordinal))
            {
                warnings.Add($"{provider} requested but this ONNX Runtime build has only {string.Join(", ", available)}; using the next provider");
                continue;
            }

            try
            {
                if (provider == ModelExecutionProvider.Cuda)
                {
                    options.AppendExecutionProvider_CUDA(0);
                }
                else
                {
                    options.AppendExecutionProvider_Tensorrt(0);
                }
            }
            catch (OnnxRuntimeException e)
            {
                warnings.Add($"{provider} could not start ({e.Message}); using the next provider");
            }
        }

        return options;
    }
}

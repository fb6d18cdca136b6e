using DataCentric.Edge.Core.Contracts;
using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Device.Inference;

/// <summary>A model file's inputs and outputs as ONNX Runtime reads them: what a model release signs as its contract.</summary>
public static class OnnxModelContract
{
    /// <exception cref="ModelConfigurationException">ONNX Runtime cannot load the file (the message names it).</exception>
    public static ModelIo Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ModelConfigurationException($"{full}: no such file");
        }

        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            using var session = new InferenceSession(full, options);
            return new ModelIo(
                [.. session.InputMetadata.Select(i => TensorOf(i.Key, i.Value))],
                [.. session.OutputMetadata.Select(o => TensorOf(o.Key, o.Value))]);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelConfigurationException($"{full}: ONNX Runtime cannot load it (corrupt or not an ONNX model): {e.Message}", e);
        }
    }

    private static ModelTensor TensorOf(string name, NodeMetadata metadata) => metadata.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR
        ? new ModelTensor(name, ElementName(metadata.ElementDataType), [.. metadata.Dimensions.Select(d => d > 0 ? (long)d : -1L)])
        : new ModelTensor(name, metadata.OnnxValueType.ToString(), []);

    /// <summary>ONNX Runtime's element type in lower case (<c>float</c>, <c>uint8</c>, <c>int64</c>, …).</summary>
    internal static string ElementName(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType type) => type.ToString().ToLowerInvariant();
}

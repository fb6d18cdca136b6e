namespace DataCentric.Edge.Device.Inference;

/// <summary>Which ONNX Runtime native library the agent runs, and how its accelerators are set up (<c>Inference:Runtime</c>).</summary>
public sealed class OnnxRuntimeOptions
{
    /// <summary>
    /// The board's own <c>libonnxruntime.so</c> (a JetPack build with CUDA and TensorRT), loaded in
    /// place of the one published with the agent; empty for the published one. Its version is
    /// checked against the agent's managed API at start.
    /// </summary>
    public string LibraryPath { get; set; } = string.Empty;

    public TensorRtOptions TensorRt { get; set; } = new();
}

/// <summary>The TensorRT execution provider's settings, for every model that asks for it.</summary>
public sealed class TensorRtOptions
{
    /// <summary>
    /// Where built TensorRT engines are kept, so only the first start builds them (minutes on a
    /// Jetson); relative paths are resolved against the agent's data directory.
    /// </summary>
    public string EngineCacheDirectory { get; set; } = "tensorrt-cache";

    /// <summary>Lets TensorRT run layers in FP16 where the model's layers allow it (about twice the speed on Orin).</summary>
    public bool Fp16 { get; set; } = true;
}

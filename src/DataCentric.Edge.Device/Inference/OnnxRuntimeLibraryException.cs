namespace DataCentric.Edge.Device.Inference;

/// <summary>The configured ONNX Runtime library is missing, is not ONNX Runtime, or is too old for the agent's managed API.</summary>
public sealed class OnnxRuntimeLibraryException : Exception
{
    public OnnxRuntimeLibraryException()
    {
    }

    public OnnxRuntimeLibraryException(string message)
        : base(message)
    {
    }

    public OnnxRuntimeLibraryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

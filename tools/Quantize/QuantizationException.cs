namespace DataCentric.Edge.Quantize;

/// <summary>
/// The input cannot be quantized as asked: a missing or unreadable file, a model this tool does not
/// handle, no calibration frames. The message names what and where (file, node, tensor); the command
/// line prints it and exits 2, and no output file is written.
/// </summary>
public sealed class QuantizationException : Exception
{
    public QuantizationException(string message)
        : base(message)
    {
    }

    public QuantizationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public QuantizationException()
    {
    }
}

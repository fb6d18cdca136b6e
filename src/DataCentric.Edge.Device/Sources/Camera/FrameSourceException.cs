namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>
/// A frame source cannot deliver: the device is missing, the file is not a video, the process
/// died. <see cref="Kind"/> is a stable short name for counting; the message says what and where.
/// </summary>
public sealed class FrameSourceException : Exception
{
    public FrameSourceException()
    {
        Kind = "failed";
    }

    public FrameSourceException(string message)
        : base(message)
    {
        Kind = "failed";
    }

    public FrameSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = "failed";
    }

    public FrameSourceException(string kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public string Kind { get; }
}

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>A controller message that cannot be used; <see cref="Kind"/> is a stable short name for counting.</summary>
public sealed class ControllerMessageException : Exception
{
    public ControllerMessageException()
    {
        Kind = "malformed";
    }

    public ControllerMessageException(string message)
        : base(message)
    {
        Kind = "malformed";
    }

    public ControllerMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = "malformed";
    }

    public ControllerMessageException(string kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public string Kind { get; }
}

namespace DataCentric.Edge.Uplink.Upload;

/// <summary>
/// The broker answered a clip's manifest or chunk with "no matching subscribers" (PUBACK 0x10): no
/// receiver is subscribed, so the message is gone. The clip stays pending from its last chunk
/// acknowledged in order, and the upload loop tries again after <c>Uplink:NoReceiverRetry</c>.
/// </summary>
public sealed class NoReceiverException : Exception
{
    public NoReceiverException()
    {
    }

    public NoReceiverException(string message)
        : base(message)
    {
    }

    public NoReceiverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

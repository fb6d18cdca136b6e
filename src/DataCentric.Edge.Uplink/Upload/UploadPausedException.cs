namespace DataCentric.Edge.Uplink.Upload;

/// <summary>
/// Uploads cannot go on with this broker as configured (its packet limit is below
/// <c>Uplink:MinChunkBytes</c>): reported once and the uploader waits; reconnecting would not help.
/// </summary>
public sealed class UploadPausedException : Exception
{
    public UploadPausedException()
    {
    }

    public UploadPausedException(string message)
        : base(message)
    {
    }

    public UploadPausedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

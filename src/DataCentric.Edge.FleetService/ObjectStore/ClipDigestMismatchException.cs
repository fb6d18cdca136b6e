namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>
/// An object's bytes did not have the SHA-256 its metadata declared. Policy: the write was aborted,
/// nothing is stored under the key, and the device is told to resend.
/// </summary>
public sealed class ClipDigestMismatchException : Exception
{
    public ClipDigestMismatchException()
    {
    }

    public ClipDigestMismatchException(string message)
        : base(message)
    {
    }

    public ClipDigestMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ClipDigestMismatchException(string key, string declaredSha256, ClipDigest actual)
        : base($"{key}: the metadata declared sha256 {declaredSha256}, the bytes are {actual}; nothing was stored")
    {
        Key = key;
        DeclaredSha256 = declaredSha256;
        Actual = actual;
    }

    public string? Key { get; }

    public string? DeclaredSha256 { get; }

    public ClipDigest? Actual { get; }
}

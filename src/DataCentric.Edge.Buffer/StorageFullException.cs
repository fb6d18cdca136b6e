namespace DataCentric.Edge.Buffer;

/// <summary>
/// The disk (or the clip quota) has no room for a clip. Policy: the clip is abandoned (its temp
/// file removed, nothing catalogued), retention frees space, and the agent carries on.
/// </summary>
public sealed class StorageFullException : IOException
{
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    public StorageFullException()
    {
    }

    public StorageFullException(string message)
        : base(message)
    {
    }

    public StorageFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True for the "no space left" and "quota exceeded" errors of Linux and Windows.</summary>
    public static bool IsDiskFull(IOException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is StorageFullException
            || exception.HResult is Enospc or Edquot or WindowsDiskFull or WindowsHandleDiskFull;
    }
}

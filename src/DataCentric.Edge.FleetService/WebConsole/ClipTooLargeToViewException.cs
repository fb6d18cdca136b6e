namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>A clip over Console:MaxViewedClipBytes (the clip view answers 413; the file can still be downloaded).</summary>
internal sealed class ClipTooLargeToViewException : Exception
{
    public ClipTooLargeToViewException()
    {
    }

    public ClipTooLargeToViewException(string message)
        : base(message)
    {
    }

    public ClipTooLargeToViewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

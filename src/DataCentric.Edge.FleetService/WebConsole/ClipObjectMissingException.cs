namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>The catalog names a clip object the store does not have (the clip view answers 404).</summary>
internal sealed class ClipObjectMissingException : Exception
{
    public ClipObjectMissingException()
    {
    }

    public ClipObjectMissingException(string message)
        : base(message)
    {
    }

    public ClipObjectMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

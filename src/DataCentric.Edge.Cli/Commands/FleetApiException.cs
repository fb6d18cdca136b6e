namespace DataCentric.Edge.Cli.Commands;

/// <summary>The fleet API could not be reached or refused the request: printed as one line, exit code 1.</summary>
internal sealed class FleetApiException : Exception
{
    public FleetApiException()
    {
    }

    public FleetApiException(string message)
        : base(message)
    {
    }

    public FleetApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

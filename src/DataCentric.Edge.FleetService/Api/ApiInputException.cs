namespace DataCentric.Edge.FleetService.Api;

/// <summary>A request the API cannot read (a query parameter, the body): answered 400 with the message, which names it.</summary>
internal sealed class ApiInputException : Exception
{
    public ApiInputException()
    {
    }

    public ApiInputException(string message)
        : base(message)
    {
    }

    public ApiInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace DataCentric.Edge.Cli.Commands;

/// <summary>Bad arguments or input: printed as "edgectl: message" with exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

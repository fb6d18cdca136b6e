namespace DataCentric.Edge.Agent.Demo.FleetConsole;

/// <summary><c>demo --console</c> could not find, build or start dce-fleet: the demo stops and says why.</summary>
public sealed class DemoConsoleException : Exception
{
    public DemoConsoleException(string message)
        : base(message)
    {
    }

    public DemoConsoleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DemoConsoleException()
    {
    }
}

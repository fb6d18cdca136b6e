namespace DataCentric.Edge.Uplink.Commands;

/// <summary>
/// A request a command cannot answer as asked (a field missing, no such clip, a window too wide).
/// Policy: the reply says why (<c>ok: false</c>) and the device carries on.
/// </summary>
public sealed class CommandRefusedException : Exception
{
    public CommandRefusedException()
    {
    }

    public CommandRefusedException(string message)
        : base(message)
    {
    }

    public CommandRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

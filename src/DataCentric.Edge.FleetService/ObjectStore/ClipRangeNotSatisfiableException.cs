namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>A read asked for bytes past the end of an object: the HTTP API answers 416 with <see cref="ObjectLength"/>.</summary>
public sealed class ClipRangeNotSatisfiableException : Exception
{
    public ClipRangeNotSatisfiableException()
    {
    }

    public ClipRangeNotSatisfiableException(string message)
        : base(message)
    {
    }

    public ClipRangeNotSatisfiableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ClipRangeNotSatisfiableException(string key, ClipByteRange range, long objectLength, Exception? innerException = null)
        : base($"{key}: {range} is past the end of an object of {objectLength} bytes", innerException)
    {
        ObjectLength = objectLength;
    }

    public long ObjectLength { get; }
}

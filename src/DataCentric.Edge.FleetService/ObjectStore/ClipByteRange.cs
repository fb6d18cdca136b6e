namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>
/// Bytes <see cref="Offset"/> up to <see cref="Length"/> of them (to the end when null), as an
/// HTTP <c>Range: bytes=first-last</c> asks; a length past the end stops at the end.
/// </summary>
public readonly record struct ClipByteRange
{
    public ClipByteRange(long offset, long? length = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is { } l)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(l, 1, nameof(length));
        }

        Offset = offset;
        Length = length;
    }

    public long Offset { get; }

    public long? Length { get; }

    /// <summary>The range of HTTP's inclusive <c>bytes=first-last</c>.</summary>
    public static ClipByteRange FromInclusive(long first, long last)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        return new ClipByteRange(first, last - first + 1);
    }

    /// <summary>The bytes this range selects in an object of <paramref name="objectLength"/> bytes.</summary>
    /// <exception cref="ClipRangeNotSatisfiableException">The range starts at or past the end.</exception>
    public (long Offset, long Length) Resolve(string key, long objectLength)
    {
        if (Offset >= objectLength)
        {
            throw new ClipRangeNotSatisfiableException(key, this, objectLength);
        }

        var available = objectLength - Offset;
        return (Offset, Length is { } l ? Math.Min(l, available) : available);
    }

    public override string ToString() => Length is { } l ? $"bytes={Offset}-{Offset + l - 1}" : $"bytes={Offset}-";
}

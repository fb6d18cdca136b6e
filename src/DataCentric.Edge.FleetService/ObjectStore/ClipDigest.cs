namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>What identifies a clip's bytes: their SHA-256 (lower-case hex, as in the manifest) and length.</summary>
public sealed record ClipDigest(string Sha256, long Length)
{
    /// <summary>True when both match; the hex comparison ignores case.</summary>
    public bool Matches(ClipDigest other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Length == other.Length && string.Equals(Sha256, other.Sha256, StringComparison.OrdinalIgnoreCase);
    }

    public override string ToString() => $"{Length} bytes, sha256 {Sha256}";
}

using System.Globalization;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// One range of an HTTP <c>Range</c> header (RFC 9110 §14): <c>bytes=first-last</c>, <c>bytes=first-</c>
/// or <c>bytes=-suffix</c>. Anything else — malformed, another unit, several ranges — is ignored and
/// the whole object is served (200), which RFC 9110 allows.
/// </summary>
internal readonly record struct HttpByteRange(long? First, long? Last, long? Suffix)
{
    public static HttpByteRange? Parse(string? header)
    {
        const string Unit = "bytes=";
        if (header is null || !header.StartsWith(Unit, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var spec = header.AsSpan(Unit.Length).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0 || spec.Contains(','))
        {
            return null;
        }

        var left = spec[..dash].Trim();
        var right = spec[(dash + 1)..].Trim();
        if (left.IsEmpty)
        {
            return Number(right) is { } suffix ? new HttpByteRange(null, null, suffix) : null;
        }

        if (Number(left) is not { } first)
        {
            return null;
        }

        if (right.IsEmpty)
        {
            return new HttpByteRange(first, null, null);
        }

        return Number(right) is { } last && last >= first ? new HttpByteRange(first, last, null) : null;
    }

    private static long? Number(ReadOnlySpan<char> text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}

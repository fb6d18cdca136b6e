using System.Text;

namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>
/// What travels with a clip's bytes, so an object found without the catalog still says what it is.
/// </summary>
/// <param name="ClipId">The clip's id (the device's).</param>
/// <param name="TriggerIds">The triggers that fired inside the clip.</param>
/// <param name="ModelSha256">The SHA-256 of the shadow model that ran, when known.</param>
/// <param name="Sha256">The SHA-256 of the object's bytes as the device declared it, when known; a write whose bytes differ is refused.</param>
public sealed record ClipObjectMetadata(string ClipId, IReadOnlyList<string> TriggerIds, string? ModelSha256, string? Sha256 = null)
{
    /// <summary>S3 allows 2 KB of user metadata per object; the same limit holds in every store.</summary>
    public const int MaxEncodedBytes = 2048;

    private const string ClipIdName = "clip-id";
    private const string TriggerIdsName = "trigger-ids";
    private const string ModelSha256Name = "model-sha256";
    private const string Sha256Name = "sha256";

    /// <summary>
    /// The metadata as name/value pairs that are valid HTTP header values (S3 user metadata,
    /// <c>x-amz-meta-*</c>; the local folder keeps the same pairs in a side file). Trigger ids are
    /// percent-encoded and joined with commas.
    /// </summary>
    /// <exception cref="ArgumentException">The encoded metadata is larger than <see cref="MaxEncodedBytes"/>.</exception>
    public IReadOnlyDictionary<string, string> ToHeaders()
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ClipIdName] = Uri.EscapeDataString(ClipId),
            [TriggerIdsName] = string.Join(',', TriggerIds.Select(Uri.EscapeDataString)),
        };
        if (ModelSha256 is not null)
        {
            headers[ModelSha256Name] = Uri.EscapeDataString(ModelSha256);
        }

        if (Sha256 is not null)
        {
            headers[Sha256Name] = Uri.EscapeDataString(Sha256);
        }

        var size = headers.Sum(h => Encoding.ASCII.GetByteCount(h.Key) + Encoding.ASCII.GetByteCount(h.Value));
        if (size > MaxEncodedBytes)
        {
            throw new ArgumentException($"The metadata of clip {ClipId} takes {size} bytes encoded; at most {MaxEncodedBytes} fit (S3's limit).");
        }

        return headers;
    }

    /// <summary>The metadata back from <see cref="ToHeaders"/>'s pairs; names are matched without regard to case.</summary>
    public static ClipObjectMetadata FromHeaders(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var triggers = header(TriggerIdsName) is { Length: > 0 } joined
            ? joined.Split(',').Select(Uri.UnescapeDataString).ToArray()
            : [];
        return new ClipObjectMetadata(
            Decode(header(ClipIdName)) ?? string.Empty,
            triggers,
            Decode(header(ModelSha256Name)),
            Decode(header(Sha256Name)));
    }

    /// <summary>Records compare lists by reference; metadata compares them element by element.</summary>
    public bool Equals(ClipObjectMetadata? other) =>
        other is not null && ClipId == other.ClipId && TriggerIds.SequenceEqual(other.TriggerIds)
        && ModelSha256 == other.ModelSha256 && Sha256 == other.Sha256;

    public override int GetHashCode() => HashCode.Combine(ClipId, TriggerIds.Count, ModelSha256, Sha256);

    private static string? Decode(string? value) => value is null ? null : Uri.UnescapeDataString(value);
}

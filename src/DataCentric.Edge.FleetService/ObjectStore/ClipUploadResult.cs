namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>
/// How <see cref="ClipUploadExtensions.CompleteIfMatchesAsync"/> ended: stored, or refused because
/// the bytes were not what the device declared (the upload was aborted and nothing was stored).
/// </summary>
public sealed record ClipUploadResult(bool Stored, ClipDigest Expected, ClipDigest Actual)
{
    /// <summary>Why it was refused, for the ack sent back to the device; null when stored.</summary>
    public string? Refusal => Stored ? null : $"expected {Expected}, received {Actual}";
}

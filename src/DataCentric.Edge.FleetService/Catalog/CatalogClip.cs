using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>A clip the fleet holds: its manifest's facts, where its bytes are, and when it came in.</summary>
/// <param name="ObjectKey">Its key in the object store (<c>{fleet}/{device}/{yyyy-MM-dd}/{fileName}</c>).</param>
public sealed record CatalogClip(
    string ClipId,
    string Fleet,
    string Device,
    string FileName,
    long SizeBytes,
    string Sha256,
    string ObjectKey,
    int Priority,
    IReadOnlyList<string> TriggerIds,
    string? ModelSha256,
    int FrameCount,
    DateTimeOffset StartWall,
    DateTimeOffset EndWall,
    DateTimeOffset ReceivedAt)
{
    public static CatalogClip From(ClipManifest manifest, string objectKey, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new CatalogClip(
            manifest.ClipId, manifest.Fleet, manifest.Device, manifest.FileName, manifest.SizeBytes, manifest.Sha256, objectKey,
            manifest.Priority, manifest.TriggerIds, manifest.ModelSha256, manifest.FrameCount, manifest.StartWall, manifest.EndWall, receivedAt);
    }

    /// <summary>
    /// The object classes its shadow model detected (<see cref="ClipLabel"/>), sorted, each once; read from the
    /// clip's MCAP when the receiver stores it. Empty for clips without detections and for clips catalogued
    /// before catalog version 7.
    /// </summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>The shadow models that produced it: <see cref="ModelSha256"/> split at ',' (ModelInfo).</summary>
    internal string[] ModelShas => CatalogGuard.ModelShas(ModelSha256, nameof(ModelSha256));

    /// <summary>True when <paramref name="other"/> is a replay of this clip: same device, same bytes.</summary>
    internal bool IsSameClipAs(CatalogClip other) =>
        Fleet == other.Fleet && Device == other.Device && Sha256 == other.Sha256 && SizeBytes == other.SizeBytes;

    /// <summary>Checks every field (a clear <see cref="ArgumentException"/> naming it) and rounds times to the microsecond.</summary>
    internal CatalogClip Validated()
    {
        CatalogGuard.Id(ClipId, nameof(ClipId));
        CatalogGuard.Id(Fleet, nameof(Fleet));
        CatalogGuard.Id(Device, nameof(Device));
        CatalogGuard.Id(FileName, nameof(FileName));
        CatalogGuard.Id(ObjectKey, nameof(ObjectKey), CatalogGuard.MaxKeyLength);
        _ = CatalogGuard.ModelShas(ModelSha256, nameof(ModelSha256));
        ArgumentOutOfRangeException.ThrowIfNegative(SizeBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(FrameCount);
        var start = CatalogGuard.Time(StartWall);
        var end = CatalogGuard.Time(EndWall);
        if (end < start)
        {
            throw new ArgumentException($"Clip '{ClipId}' ends ({end:O}) before it starts ({start:O}).", nameof(EndWall));
        }

        return this with
        {
            Sha256 = CatalogGuard.Sha256(Sha256, nameof(Sha256)),
            TriggerIds = CatalogGuard.Ids(TriggerIds, nameof(TriggerIds)),
            Labels = ClipLabel.CheckedAll(Labels, nameof(Labels)),
            StartWall = start,
            EndWall = end,
            ReceivedAt = CatalogGuard.Time(ReceivedAt),
        };
    }
}

using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// A device's latest ack for one version of one model (its retained <c>models/{name}/ack</c>): where
/// the release stands, why it was refused or rolled back, what runs now and what probation measured.
/// </summary>
/// <param name="Sha256">The release's file hash; null when the device could not read the envelope.</param>
/// <param name="Stage">downloading, refused, probation, active or rolledBack (the contract's camelCase names).</param>
/// <param name="ActiveVersion">The version of the model the device runs after this step (0: none yet).</param>
/// <param name="At">The device's time of the step; an older ack for the same version is ignored.</param>
public sealed record CatalogModelRelease(
    string Fleet,
    string Device,
    string Name,
    int Version,
    string? Sha256,
    string Stage,
    IReadOnlyList<CatalogModelReason> Reasons,
    int ActiveVersion,
    string? ActiveSha256,
    DateTimeOffset At)
{
    public long? BytesReceived { get; init; }

    public CatalogProbation? Probation { get; init; }

    public static string StageName(ModelReleaseStage stage) => stage switch
    {
        ModelReleaseStage.Downloading => "downloading",
        ModelReleaseStage.Refused => "refused",
        ModelReleaseStage.Probation => "probation",
        ModelReleaseStage.Active => "active",
        ModelReleaseStage.RolledBack => "rolledBack",
        _ => throw new ArgumentException($"Unknown model release stage {(int)stage}.", nameof(stage)),
    };

    /// <summary>The ack as the catalog keeps it, after the catalog's input rules (ids, hashes, text, non-negative figures).</summary>
    internal static CatalogModelRelease From(ModelReleaseAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        if (ack.Version < 0 || ack.ActiveVersion < 0)
        {
            throw new ArgumentException($"A model version is negative (version {ack.Version}, activeVersion {ack.ActiveVersion}).", nameof(ack));
        }

        if (ack.BytesReceived is < 0)
        {
            throw new ArgumentException($"bytesReceived {ack.BytesReceived} is negative.", nameof(ack));
        }

        var reasons = new List<CatalogModelReason>();
        foreach (var r in ack.Reasons ?? [])
        {
            ArgumentNullException.ThrowIfNull(r, nameof(ack.Reasons));
            reasons.Add(new CatalogModelReason(CatalogGuard.Id(r.Reason, "reasons.reason"), CatalogGuard.Text(r.Message, "reasons.message") ?? string.Empty));
        }

        return new CatalogModelRelease(
            CatalogGuard.Id(ack.Fleet, nameof(ack.Fleet)),
            CatalogGuard.Id(ack.Device, nameof(ack.Device)),
            CatalogGuard.Id(ack.Name, nameof(ack.Name)),
            ack.Version,
            string.IsNullOrEmpty(ack.Sha256) ? null : CatalogGuard.Sha256(ack.Sha256, nameof(ack.Sha256)),
            StageName(ack.Stage),
            reasons,
            ack.ActiveVersion,
            string.IsNullOrEmpty(ack.ActiveSha256) ? null : CatalogGuard.Sha256(ack.ActiveSha256, nameof(ack.ActiveSha256)),
            CatalogGuard.Time(ack.At))
        {
            BytesReceived = ack.BytesReceived,
            Probation = ack.Probation is { } p ? CatalogProbation.From(p) : null,
        };
    }
}

/// <summary>One reason a release was refused or rolled back: the contract's camelCase name and the device's message.</summary>
public sealed record CatalogModelReason(string Reason, string Message);

/// <summary>What probation measured on the device.</summary>
public sealed record CatalogProbation(int Frames, int Errors, double LatencyP50Ms, double LatencyP95Ms, long ResidentBytes, long? MemoryLimitBytes)
{
    internal static CatalogProbation From(ModelProbationReport p)
    {
        if (p.Frames < 0 || p.Errors < 0 || p.ResidentBytes < 0 || p.MemoryLimitBytes is < 0 ||
            !double.IsFinite(p.LatencyP50Ms) || !double.IsFinite(p.LatencyP95Ms) || p.LatencyP50Ms < 0 || p.LatencyP95Ms < 0)
        {
            throw new ArgumentException($"probation has a negative or non-finite figure ({p}).", "probation");
        }

        return new CatalogProbation(p.Frames, p.Errors, p.LatencyP50Ms, p.LatencyP95Ms, p.ResidentBytes, p.MemoryLimitBytes);
    }
}

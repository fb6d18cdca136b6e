using DataCentric.Edge.Core.Contracts;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>Model release acks as devices publish them (the contract's ModelReleaseAck), for catalog, tracker and API tests.</summary>
internal static class ModelSamples
{
    public static string ModelSha(string name, int version) => Sha($"{name}@{version}");

    /// <param name="minutes">The device's time of the step, minutes after <see cref="CatalogSamples.T0"/>.</param>
    public static ModelReleaseAck ModelAck(
        string device,
        int version,
        ModelReleaseStage stage,
        double minutes,
        int activeVersion,
        string name = "det",
        string fleet = "acme",
        (string Reason, string Message)[]? reasons = null,
        ModelProbationReport? probation = null,
        long? bytesReceived = null) =>
        new(
            fleet,
            device,
            name,
            version,
            ModelSha(name, version),
            stage,
            [.. (reasons ?? []).Select(r => new ModelReleaseAckReason(r.Reason, r.Message))],
            activeVersion,
            activeVersion == 0 ? null : ModelSha(name, activeVersion),
            T0.AddMinutes(minutes))
        {
            Probation = probation,
            BytesReceived = bytesReceived,
        };

    public static ModelProbationReport Probation(double p95Ms, long residentBytes, int errors = 0) =>
        new(200, errors, p95Ms / 2, p95Ms, residentBytes, 512L * 1024 * 1024);
}

using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.Models;

/// <summary>Model release acks to the wire types edgectl and the console share (Fleet/Api).</summary>
internal static class ModelApiMapping
{
    public static ApiDeviceModel ToDeviceModel(this CatalogModelRelease r) => new(r.Name, r.ActiveVersion, r.ActiveSha256, r.ToApi());

    public static ApiModelRelease ToApi(this CatalogModelRelease r) => new(r.Version, r.Sha256, r.Stage, r.Reasons.ToApi(), r.At)
    {
        BytesReceived = r.BytesReceived,
        Probation = r.Probation?.ToApi(),
    };

    public static IReadOnlyList<ApiModelReason> ToApi(this IReadOnlyList<CatalogModelReason> reasons) =>
        reasons.Count == 0 ? [] : [.. reasons.Select(x => new ApiModelReason(x.Reason, x.Message))];

    public static ApiProbation ToApi(this CatalogProbation p) =>
        new(p.Frames, p.Errors, p.LatencyP50Ms, p.LatencyP95Ms, p.ResidentBytes, p.MemoryLimitBytes);

    public static ApiModelDevice ToModelDevice(this CatalogModelRelease r) =>
        new(r.Fleet, r.Device, r.Stage, r.Reasons.ToApi(), r.Probation?.ToApi(), r.At);
}

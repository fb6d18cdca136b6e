using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.Models;

/// <summary>
/// One model across the fleet from the devices' acks: per version, newest first, the devices that run
/// it (their latest ack's active version), those that rolled it back or refused it (with why), and
/// those still downloading or in probation.
/// </summary>
internal static class ModelView
{
    public static ApiModelView Of(string name, string? fleet, IReadOnlyList<CatalogModelRelease> acks)
    {
        var latest = acks.GroupBy(a => (a.Fleet, a.Device))
            .Select(g => g.OrderByDescending(a => a.At).ThenByDescending(a => a.Version).First())
            .ToList();
        var versions = acks.Select(a => a.Version).Concat(latest.Where(l => l.ActiveVersion > 0).Select(l => l.ActiveVersion))
            .Distinct().OrderDescending();
        return new ApiModelView(name, fleet, [.. versions.Select(v => Version(v, acks, latest))]);
    }

    private static ApiModelVersion Version(int version, IReadOnlyList<CatalogModelRelease> acks, List<CatalogModelRelease> latest)
    {
        var ofVersion = acks.Where(a => a.Version == version).ToList();
        var sha = ofVersion.Select(a => a.Sha256).FirstOrDefault(s => s is not null)
            ?? latest.Where(l => l.ActiveVersion == version).Select(l => l.ActiveSha256).FirstOrDefault(s => s is not null);
        List<ApiModelDevice> Where(params string[] stages) => [.. ofVersion.Where(a => stages.Contains(a.Stage)).Select(a => a.ToModelDevice())];
        return new ApiModelVersion(
            version,
            sha,
            [.. latest.Where(l => l.ActiveVersion == version).Select(l => l.ToModelDevice())],
            Where("rolledBack"),
            Where("refused"),
            Where("downloading", "probation"));
    }
}

using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Models;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>Catalog records to the wire types edgectl and the console share (Fleet/Api).</summary>
internal static class ApiMapping
{
    public static ApiClip ToApi(this CatalogClip c) => new(
        c.ClipId, c.Fleet, c.Device, c.FileName, c.SizeBytes, c.Sha256, c.ObjectKey, c.Priority, c.TriggerIds, c.ModelSha256,
        c.FrameCount, c.StartWall, c.EndWall, c.ReceivedAt)
    {
        Labels = c.Labels,
    };

    public static ApiEvent ToApi(this CatalogEvent e) => new(
        e.EventId, e.Fleet, e.Device, e.TriggerIds, e.WallClock, e.Priority, e.DryRun, e.TriggerSetVersion, e.ClipId, e.ReceivedAt);

    public static ApiDevice ToApi(this CatalogDevice d) => new(
        d.Fleet, d.Device, d.State, d.Detail, d.TriggerSetVersion, d.StatusAt, d.FirstSeen, d.LastSeen)
    {
        TriggerSetAck = d.TriggerSetAck?.ToApi(),
        Models = d.Models.Count == 0 ? [] : [.. d.Models.Select(m => m.ToDeviceModel())],
    };

    public static ApiTriggerSetAck ToApi(this CatalogTriggerSetAck a) => new(a.Version, a.Decision, a.Reason, a.ActiveVersion, a.At);

    public static ApiTriggerCount ToApi(this TriggerCount c) => new(c.Fleet, c.Device, c.TriggerId, c.BucketStart, c.Kind, c.Count);

    public static ApiPull ToApi(this PullRequest p) => new(
        p.PullId, p.Fleet, p.Device, p.WindowFrom, p.WindowTo, p.Priority, CatalogGuard.Name(p.State), p.Detail, p.RequestedAt, p.UpdatedAt);

    public static ApiPage<TOut> ToApi<TIn, TOut>(this CatalogPage<TIn> page, Func<TIn, TOut> map) => new([.. page.Items.Select(map)], page.Next);
}

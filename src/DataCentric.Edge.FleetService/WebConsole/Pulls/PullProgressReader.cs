using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.Staging;

namespace DataCentric.Edge.FleetService.WebConsole.Pulls;

/// <summary>
/// Reads what a pull's window has brought so far from the shared catalog (so every instance, and a restarted one, sees
/// the same): the clips catalogued in the window and the uploads staged for it, chunk by chunk.
/// </summary>
internal sealed class PullProgressReader(IFleetQueries queries, IClipStaging staging)
{
    public async Task<ConsolePull> ReadAsync(PullRequest pull, CatalogDevice? device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pull);
        var clips = await queries.ListClipsAsync(
            new ClipQuery { Fleet = pull.Fleet, Device = pull.Device, From = pull.WindowFrom, To = pull.WindowTo, Limit = CatalogGuard.MaxLimit },
            cancellationToken).ConfigureAwait(false);
        var staged = await staging.ListUploadProgressAsync(pull.Fleet, pull.Device, pull.WindowFrom, pull.WindowTo, cancellationToken).ConfigureAwait(false);
        var held = clips.Items.Select(c => c.ClipId).ToHashSet(StringComparer.Ordinal);
        var progress = new ConsolePullProgress(
            clips.Items.Count,
            clips.Items.Sum(c => c.SizeBytes),
            [.. staged.Where(s => !held.Contains(s.ClipId)).Select(s => new ConsolePullUpload(s.ClipId, s.ChunksStaged, s.ChunkCount, s.BytesStaged, s.SizeBytes))]);
        return new ConsolePull(pull.ToApi(), device?.State, device?.LastSeen, progress);
    }
}

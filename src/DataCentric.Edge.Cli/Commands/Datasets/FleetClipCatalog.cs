using System.Globalization;
using DataCentric.Edge.Fleet.Api;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// The fleet catalog through dce-fleet's API: <c>GET /api/clips</c> filtered by fleet, device, trigger,
/// model and time (page by page), each clip's bytes from <c>/api/clips/{id}/file</c> into a cache
/// folder on disk (frames are then streamed from there like local clips, never held in memory).
/// </summary>
internal sealed class FleetClipCatalog(FleetApiClient client, string cacheDirectory)
{
    private const int PageSize = 500;

    public async Task<IReadOnlyList<SourceClip>> ListAsync(string? fleet, DatasetFilter filter, CancellationToken cancellationToken)
    {
        var listed = new List<ApiClip>();
        string? after = null;
        do
        {
            var page = await client.GetAsync(
                "api/clips",
                [("fleet", fleet), ("device", Single(filter.Devices)), ("trigger", Single(filter.Triggers)), ("model", FullSha(filter.Model)),
                 ("from", filter.From?.ToString("O", CultureInfo.InvariantCulture)), ("to", filter.To?.ToString("O", CultureInfo.InvariantCulture)),
                 ("limit", PageSize.ToString(CultureInfo.InvariantCulture)), ("after", after)],
                FleetApiJsonContext.Default.ApiPageApiClip,
                cancellationToken).ConfigureAwait(false);
            listed.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null);

        Directory.CreateDirectory(cacheDirectory);
        var clips = new List<SourceClip>();
        foreach (var clip in listed.OrderBy(c => c.StartWall).ThenBy(c => c.ClipId, StringComparer.Ordinal))
        {
            var source = new SourceClip(Path.Combine(cacheDirectory, SafeName(clip.ClipId) + ".mcap"), clip.Device, clip.TriggerIds, clip.StartWall, clip.EndWall);
            if (!filter.MayHold(source))
            {
                continue;
            }

            await client.DownloadAsync($"api/clips/{Uri.EscapeDataString(clip.ClipId)}/file", source.Path, cancellationToken).ConfigureAwait(false);
            clips.Add(source);
        }

        return clips;
    }

    /// <summary>The API takes a whole SHA-256; a prefix or a model name is filtered here, frame by frame.</summary>
    private static string? FullSha(string? model) => model is { Length: 64 } && model.All(char.IsAsciiHexDigit) ? model : null;

    /// <summary>The API filters by one device and one trigger; several are filtered here.</summary>
    private static string? Single(IReadOnlySet<string> values) => values.Count == 1 ? values.First() : null;

    private static string SafeName(string clipId) => string.Concat(clipId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
}

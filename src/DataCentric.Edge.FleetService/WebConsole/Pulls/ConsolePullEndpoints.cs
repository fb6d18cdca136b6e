using System.Globalization;
using System.Text;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.WebConsole.Triggers;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.Pulls;

/// <summary>
/// The pull page: the fleet's queue of pulls with each device's state and what arrived of each window (viewer), a new
/// pull checked field by field before it is recorded through <see cref="PullEndpoints"/> (operator), and the queue's
/// live changes as server-sent events. Cancel is the API's own <c>POST /api/pulls/{id}/cancel</c>.
/// </summary>
internal sealed class ConsolePullEndpoints(
    IPullRequests pulls, IFleetQueries queries, PullProgressReader progress, PullEndpoints record, TimeProvider time, IOptions<ConsoleOptions> options, ILogger<ConsolePullEndpoints> logger)
{
    /// <summary>The most a device sends for one request (CONTRACT.md, "Windows"): the page asks for several windows for more.</summary>
    public static readonly TimeSpan MaxWindow = PullWindows.MaxWindow;

    /// <summary>Pulls on the page: the newest of the fleet.</summary>
    public const int MaxListed = 100;

    private const string Expected = "{fleet, device, from, to, priority?, pullId?}";
    private static readonly byte[] Heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");
    private static readonly byte[] PullEventStart = Encoding.UTF8.GetBytes("event: pull\ndata: ");
    private static readonly byte[] EventEnd = Encoding.UTF8.GetBytes("\n\n");
    private int _streams;

    /// <summary><c>GET /api/console/pulls?fleet&amp;device</c>: the newest pulls first, each with its device's state and progress.</summary>
    public async Task<IResult> ListAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "fleet", "device");
        var list = await ReadQueueAsync(q.Required("fleet"), q.Text("device"), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(list, PullConsoleJsonContext.Default.IReadOnlyListConsolePull);
    }

    /// <summary>
    /// <c>POST /api/console/pulls</c>: 400 naming the field (missing, not a time, <c>from</c> not before <c>to</c>, longer than
    /// <see cref="MaxWindow"/>), 404 for a device the fleet never heard from; then as <c>POST /api/pulls</c>. A device that is
    /// offline gets the pull too: it waits at the service, and the queue says so.
    /// </summary>
    public async Task<IResult> AddAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var body = await ConsoleBody.ReadAsync(context, PullConsoleJsonContext.Default.ConsoleNewPull, Expected).ConfigureAwait(false);
        var fleet = Required(body.Fleet, "fleet");
        var device = Required(body.Device, "device");
        var from = TimeOf(body.From, "from");
        var to = TimeOf(body.To, "to");
        if (from >= to)
        {
            throw new ApiInputException($"body field 'to': {to:O} is not after 'from' ({from:O}); a window runs forward");
        }

        if (to - from > MaxWindow)
        {
            throw new ApiInputException($"body field 'to': the window is {to - from:c} long; a device sends at most {MaxWindow:c} for one request, so ask for several windows");
        }

        var devices = await queries.ListDevicesAsync(fleet, context.RequestAborted).ConfigureAwait(false);
        if (!devices.Any(d => d.Device == device))
        {
            return ApiProblems.NotFound($"no device '{device}' in fleet '{fleet}': it has never reported to this service");
        }

        return await record.RecordAsync(context, new ApiNewPull(fleet, device, from, to, body.Priority, body.PullId)).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /api/console/pulls/events?fleet</c>: <c>event: pull</c> (a <see cref="ConsolePull"/>) for each pull of the fleet
    /// that is new or changed, looked at every <see cref="ConsoleOptions.PullPollInterval"/> (from the catalog, so pulls
    /// and chunks another instance handled show too), and a heartbeat comment when nothing changed for a while.
    /// </summary>
    public async Task<IResult> StreamAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "fleet");
        var fleet = q.Required("fleet");
        CatalogGuard.Id(fleet, nameof(fleet));
        var settings = options.Value;
        if (Interlocked.Increment(ref _streams) > settings.MaxClients)
        {
            Interlocked.Decrement(ref _streams);
            return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Too many live pages", $"{settings.MaxClients} live-update streams are open (Console:MaxClients); try again later");
        }

        try
        {
            await FollowAsync(context, fleet, settings).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _streams);
        }

        return Results.Empty;
    }

    private async Task FollowAsync(HttpContext context, string fleet, ConsoleOptions settings)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var aborted = context.RequestAborted;
        var shown = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var quietSince = time.GetTimestamp();
        PullConsoleLog.StreamOpened(logger, ApiCaller.Of(context)?.Name ?? "?", fleet);
        try
        {
            await response.Body.WriteAsync(Heartbeat, aborted).ConfigureAwait(false);
            await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            while (!aborted.IsCancellationRequested)
            {
                var sent = false;
                foreach (var pull in await ReadQueueAsync(fleet, null, aborted).ConfigureAwait(false))
                {
                    var json = JsonSerializer.SerializeToUtf8Bytes(pull, PullConsoleJsonContext.Default.ConsolePull);
                    if (shown.TryGetValue(pull.Pull.PullId, out var before) && before.AsSpan().SequenceEqual(json))
                    {
                        continue;
                    }

                    shown[pull.Pull.PullId] = json;
                    await response.Body.WriteAsync(PullEventStart, aborted).ConfigureAwait(false);
                    await response.Body.WriteAsync(json, aborted).ConfigureAwait(false);
                    await response.Body.WriteAsync(EventEnd, aborted).ConfigureAwait(false);
                    sent = true;
                }

                if (sent)
                {
                    quietSince = time.GetTimestamp();
                }
                else if (time.GetElapsedTime(quietSince) >= settings.HeartbeatInterval)
                {
                    await response.Body.WriteAsync(Heartbeat, aborted).ConfigureAwait(false);
                    quietSince = time.GetTimestamp();
                }

                await response.Body.FlushAsync(aborted).ConfigureAwait(false);
                await Task.Delay(settings.PullPollInterval, time, aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page went away.
        }

        PullConsoleLog.StreamClosed(logger, ApiCaller.Of(context)?.Name ?? "?", fleet);
    }

    private async Task<IReadOnlyList<ConsolePull>> ReadQueueAsync(string fleet, string? device, CancellationToken cancellationToken)
    {
        var all = await pulls.ListPullsAsync(fleet, device, null, cancellationToken).ConfigureAwait(false);
        var devices = (await queries.ListDevicesAsync(fleet, cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.Device, StringComparer.Ordinal);
        var queue = new List<ConsolePull>();
        foreach (var pull in all.Reverse().Take(MaxListed))
        {
            queue.Add(await progress.ReadAsync(pull, devices.GetValueOrDefault(pull.Device), cancellationToken).ConfigureAwait(false));
        }

        return queue;
    }

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new ApiInputException($"body field '{field}': required") : value.Trim();

    private static DateTimeOffset TimeOf(string? value, string field) =>
        DateTimeOffset.TryParse(Required(value, field), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
        : throw new ApiInputException($"body field '{field}': '{value}' is not a time (ISO 8601, e.g. 2026-12-05T10:00:00Z)");
}

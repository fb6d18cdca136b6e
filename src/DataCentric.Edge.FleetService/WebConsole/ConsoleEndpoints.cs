using System.Text;
using System.Text.Json;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Models;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>
/// The console's reads: who signed in, the devices with their health, and the devices' live updates
/// as server-sent events (read with fetch, so the bearer token travels in the Authorization header).
/// </summary>
internal sealed class ConsoleEndpoints(IFleetQueries queries, DeviceFeed feed, TimeProvider time, IOptions<ConsoleOptions> options, ILogger<ConsoleEndpoints> logger)
{
    private static readonly byte[] Heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");
    private static readonly byte[] Resync = Encoding.UTF8.GetBytes("event: resync\ndata: {}\n\n");
    private static readonly byte[] DeviceEventStart = Encoding.UTF8.GetBytes("event: device\ndata: ");
    private static readonly byte[] EventEnd = Encoding.UTF8.GetBytes("\n\n");

    public Task<IResult> SessionAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var caller = ApiCaller.Of(context) ?? throw new InvalidOperationException("The endpoint runs after authorization.");
        return Task.FromResult(Results.Json(new ConsoleSession(caller.Name, ApiAccess.Name(caller.Role)), ConsoleJsonContext.Default.ConsoleSession));
    }

    public async Task<IResult> ListDevicesAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "fleet", "limit", "after");
        var query = new DeviceQuery { Fleet = q.Text("fleet"), Limit = q.Limit(), After = q.Text("after") };
        var page = await queries.ListDevicePageAsync(query, context.RequestAborted).ConfigureAwait(false);
        var devices = new ApiPage<ConsoleDevice>(
            [.. page.Items.Select(d => new ConsoleDevice(
                d.Fleet, d.Device, d.State, d.Detail, d.TriggerSetVersion, d.StatusAt, d.FirstSeen, d.LastSeen, feed.HealthOf(d.Fleet, d.Device))
            {
                TriggerSetAck = d.TriggerSetAck?.ToApi(),
                Models = d.Models.Count == 0 ? [] : [.. d.Models.Select(m => m.ToDeviceModel())],
                Groups = feed.GroupsOf(d.Fleet, d.Device),
            })],
            page.Next);
        return Results.Json(devices, ConsoleJsonContext.Default.ApiPageConsoleDevice);
    }

    /// <summary>
    /// <c>text/event-stream</c>: an <c>device</c> event per applied status, <c>resync</c> when this
    /// page's queue overflowed, a comment line every <see cref="ConsoleOptions.HeartbeatInterval"/>.
    /// The subscription ends with the request (the browser closed the page or the connection).
    /// </summary>
    public async Task<IResult> StreamDevicesAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        using var subscription = feed.Subscribe();
        if (subscription is null)
        {
            return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Too many live pages", $"{options.Value.MaxClients} live-update streams are open (Console:MaxClients); try again later");
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var aborted = context.RequestAborted;
        ConsoleLog.StreamOpened(logger, ApiCaller.Of(context)?.Name ?? "?", feed.SubscriberCount);
        try
        {
            await response.Body.WriteAsync(Heartbeat, aborted).ConfigureAwait(false);
            await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            while (!aborted.IsCancellationRequested)
            {
                if (!await WaitAsync(subscription, aborted).ConfigureAwait(false))
                {
                    await response.Body.WriteAsync(Heartbeat, aborted).ConfigureAwait(false);
                }
                else
                {
                    if (subscription.TakeDropped())
                    {
                        await response.Body.WriteAsync(Resync, aborted).ConfigureAwait(false);
                    }

                    while (subscription.Reader.TryRead(out var update))
                    {
                        await WriteEventAsync(response.Body, update, aborted).ConfigureAwait(false);
                    }
                }

                await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page went away: the using above frees its subscription.
        }

        ConsoleLog.StreamClosed(logger, ApiCaller.Of(context)?.Name ?? "?");
        return Results.Empty;
    }

    /// <summary>True when updates are waiting, false when the heartbeat interval passed first.</summary>
    private async Task<bool> WaitAsync(DeviceFeedSubscription subscription, CancellationToken aborted)
    {
        using var heartbeat = new CancellationTokenSource(options.Value.HeartbeatInterval, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(aborted, heartbeat.Token);
        try
        {
            return await subscription.Reader.WaitToReadAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task WriteEventAsync(Stream body, ConsoleDevice update, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(update, ConsoleJsonContext.Default.ConsoleDevice);
        await body.WriteAsync(DeviceEventStart, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(json, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(EventEnd, cancellationToken).ConfigureAwait(false);
    }
}

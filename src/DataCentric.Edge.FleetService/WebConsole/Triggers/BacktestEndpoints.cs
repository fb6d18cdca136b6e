using System.Text;
using System.Text.Json;
using DataCentric.Edge.FleetService.Api;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>
/// <c>POST /api/console/triggers/backtests</c> queues a backtest (202 with its id; it changes nothing stored),
/// <c>GET .../backtests/{id}</c> reads its state and <c>GET .../backtests/{id}/events</c> streams it as
/// server-sent events (<c>event: progress</c> per change, the last one <c>done</c> or <c>failed</c>).
/// </summary>
internal sealed class BacktestEndpoints(BacktestQueue queue, TriggerSignalSources sources, TimeProvider time, IOptions<ConsoleTriggerOptions> options, IOptions<ConsoleOptions> console)
{
    public const string DefaultTruthSignal = "truth.primary_missed";
    private const string Request = "{source, format?, fleet, device?, from?, to?, maxClips?, truthSignal?}";
    private static readonly byte[] Heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");

    public async Task<IResult> StartAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var request = await ConsoleBody.ReadAsync(context, TriggerConsoleJsonContext.Default.BacktestRequest, Request).ConfigureAwait(false);
        var (source, format) = ConsoleBody.SetOf(request.Source, request.Format);
        if (string.IsNullOrWhiteSpace(request.Fleet))
        {
            throw new ApiInputException("body field 'fleet': required, the fleet whose stored clips to replay");
        }

        var max = options.Value.MaxBacktestClips;
        if (request.MaxClips is < 1 || request.MaxClips > max)
        {
            throw new ApiInputException($"body field 'maxClips': {request.MaxClips} is outside 1 to {max}");
        }

        if (request.From is { } from && request.To is { } to && from >= to)
        {
            throw new ApiInputException($"body field 'to': {to:O} is not after 'from' {from:O}");
        }

        // The set must compile before it queues: its errors come back now, at line:col, not after a wait.
        var (validation, _) = TriggerSetCheck.Run(source, format, sources.Resolve(null, null, null));
        if (!validation.Valid)
        {
            return Results.Json(validation, TriggerConsoleJsonContext.Default.TriggerValidation, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var plan = new BacktestPlan(source, format, request.Fleet, NullIfBlank(request.Device), request.From, request.To, request.MaxClips ?? Math.Min(20, max), NullIfBlank(request.TruthSignal) ?? DefaultTruthSignal);
        var (job, status, refusal) = queue.Enqueue(ApiCaller.Of(context)!.Name, plan);
        return job is null
            ? ApiProblems.Of(status, "Backtest not queued", refusal!)
            : Results.Json(job.Status, TriggerConsoleJsonContext.Default.BacktestStatus, statusCode: StatusCodes.Status202Accepted);
    }

    public Task<IResult> GetAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        return Task.FromResult(Find(context) is { } job
            ? Results.Json(job.Status, TriggerConsoleJsonContext.Default.BacktestStatus)
            : Unknown(context));
    }

    public async Task<IResult> StreamAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        if (Find(context) is not { } job)
        {
            return Unknown(context);
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var aborted = context.RequestAborted;
        try
        {
            for (;;)
            {
                var status = job.Status;
                await WriteAsync(response.Body, status, aborted).ConfigureAwait(false);
                if (status.State is BacktestStates.Done or BacktestStates.Failed)
                {
                    break;
                }

                // The next change, or a heartbeat so proxies keep a quiet stream open.
                if (!await ChangedAsync(job, status, aborted).ConfigureAwait(false))
                {
                    await response.Body.WriteAsync(Heartbeat, aborted).ConfigureAwait(false);
                    await response.Body.FlushAsync(aborted).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page went away; the backtest runs on and can be read again.
        }

        return Results.Empty;
    }

    /// <summary>True when the job changed since <paramref name="seen"/>, false when the heartbeat interval passed first.</summary>
    private async Task<bool> ChangedAsync(BacktestJob job, BacktestStatus seen, CancellationToken aborted)
    {
        try
        {
            await job.ChangedSinceAsync(seen).WaitAsync(console.Value.HeartbeatInterval, time, aborted).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static async Task WriteAsync(Stream body, BacktestStatus status, CancellationToken cancellationToken)
    {
        var name = status.State is BacktestStates.Done or BacktestStates.Failed ? status.State : "progress";
        await body.WriteAsync(Encoding.UTF8.GetBytes($"event: {name}\ndata: "), cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(status, TriggerConsoleJsonContext.Default.BacktestStatus), cancellationToken).ConfigureAwait(false);
        await body.WriteAsync("\n\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private BacktestJob? Find(HttpContext context) => queue.Find((string)context.Request.RouteValues["backtestId"]!);

    private static IResult Unknown(HttpContext context) =>
        ApiProblems.NotFound($"no backtest '{context.Request.RouteValues["backtestId"]}' (finished ones are kept for a while, in memory)");

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

using DataCentric.Edge.FleetService.Api;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>
/// The editor's checks: <c>POST /api/console/triggers/validate</c> (the set against a device's or a board's
/// signals, errors at line:col; it changes nothing) and <c>GET /api/console/triggers/signal-sources</c>.
/// </summary>
internal sealed class TriggerEditorEndpoints(TriggerSignalSources sources)
{
    public const string SetRequest = "{source, format?, fleet?, device? | board?}";

    public Task<IResult> SignalSourcesAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        return Task.FromResult(Results.Json(sources.List(), TriggerConsoleJsonContext.Default.SignalSources));
    }

    public async Task<IResult> ValidateAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var request = await ConsoleBody.ReadAsync(context, TriggerConsoleJsonContext.Default.TriggerSetSourceRequest, SetRequest).ConfigureAwait(false);
        var (source, format) = ConsoleBody.SetOf(request.Source, request.Format);
        var known = sources.Resolve(request.Fleet, request.Device, request.Board);
        var (validation, _) = TriggerSetCheck.Run(source, format, known);
        return Results.Json(validation, TriggerConsoleJsonContext.Default.TriggerValidation);
    }
}

using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.WebConsole.Triggers;

namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>
/// <c>POST /api/console/devices/{fleet}/{device}/models/{name}/rollback</c> <c>{version}</c>: the device's own
/// <c>rollbackModel</c> command through the operator link, as <c>edgectl models rollback</c> sends it. The body
/// names the release the operator confirmed; the catalog's latest ack of the device must still show it running.
/// </summary>
internal sealed class ModelRollbackEndpoint(IModelReleases releases, OperatorLink link, ILogger<ModelRollbackEndpoint> logger)
{
    private const string Expected = "{version}: the release version the device runs and you confirm rolling back";

    public async Task<IResult> RollbackAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var (fleet, device) = Segments(context);
        var name = ModelRoute.Name(context);
        var request = await ConsoleBody.ReadAsync(context, ModelConsoleJsonContext.Default.ModelRollbackRequest, Expected).ConfigureAwait(false);
        if (request.Version is not (> 0 and var version))
        {
            throw new ApiInputException($"body field 'version': {(request.Version is null ? "required" : $"{request.Version} is not a release version (1 or more)")}; send {Expected}");
        }

        var acks = await releases.ListModelReleasesAsync(fleet, name, device, context.RequestAborted).ConfigureAwait(false);
        if (acks.MaxBy(a => a.At) is not { } latest)
        {
            return ApiProblems.NotFound($"{fleet}/{device} has reported no model '{name}'");
        }

        if (latest.ActiveVersion != version)
        {
            var running = latest.ActiveVersion == 0 ? "the model file of its own configuration" : $"v{latest.ActiveVersion}";
            return ApiProblems.Of(StatusCodes.Status409Conflict, "Not the confirmed release",
                $"{fleet}/{device} runs {name} {running} now (its ack of {latest.At:u}), not v{version}: nothing was rolled back; reload and confirm again");
        }

        if (!link.IsConfigured)
        {
            return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Service unavailable", OperatorLink.NotConfiguredReason);
        }

        var caller = ApiCaller.Of(context)!.Name;
        CommandReply reply;
        try
        {
            var client = await link.GetClientAsync(context.RequestAborted).ConfigureAwait(false);
            reply = await client.SendAsync(fleet, device, new CommandRequest(CommandNames.RollbackModel) { ModelName = name }, link.Options.CommandTimeout, context.RequestAborted)
                .ConfigureAwait(false);
        }
        catch (DeviceNotListeningException e)
        {
            return ApiProblems.Of(StatusCodes.Status409Conflict, "Device offline", $"{fleet}/{device} is offline (not listening for commands): nothing was rolled back. {e.Message}");
        }
        catch (TimeoutException)
        {
            return ApiProblems.Of(StatusCodes.Status504GatewayTimeout, "No answer",
                $"{fleet}/{device} did not answer the rollback within {link.Options.CommandTimeout}; it may still roll back when it reads the request");
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Service unavailable", $"the broker cannot be reached: {e.Message}");
        }

        if (!reply.Ok || reply.Result?.Deserialize(UplinkJson.TypeInfo<ModelRollbackResult>()) is not { } result)
        {
            ModelConsoleLog.RolledBack(logger, name, version, fleet, device, caller, $"refused: {reply.Error}");
            return ApiProblems.Of(StatusCodes.Status409Conflict, "Rollback refused", $"{fleet}/{device} refused the rollback of {name}: {reply.Error ?? "no result"}");
        }

        var runs = result.ActiveVersion == 0 ? "the model file of its own configuration runs" : $"v{result.ActiveVersion} runs";
        var message = result.RolledBack
            ? $"{device}: {name} v{version} rolled back; {runs}"
            : $"{device}: {name} not rolled back ({result.Message ?? "no reason given"}); {runs}";
        ModelConsoleLog.RolledBack(logger, name, version, fleet, device, caller, message);
        return result.RolledBack
            ? Results.Json(new ConsoleModelRollback(fleet, device, name, true, result.ActiveVersion, result.ActiveSha256, message), ModelConsoleJsonContext.Default.ConsoleModelRollback)
            : ApiProblems.Of(StatusCodes.Status409Conflict, "Not rolled back", message);
    }

    /// <summary>The fleet and device of the route, each checked as one topic segment.</summary>
    private static (string Fleet, string Device) Segments(HttpContext context)
    {
        var fleet = (string)context.Request.RouteValues["fleet"]!;
        var device = (string)context.Request.RouteValues["device"]!;
        try
        {
            _ = new FleetTopics(fleet, device);
            return (CatalogGuard.Id(fleet, "fleet"), CatalogGuard.Id(device, "device"));
        }
        catch (ArgumentException e)
        {
            var field = e.ParamName is "fleet" ? "fleet" : "device";
            throw new ApiInputException($"path parameter '{field}': {e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal)}", e);
        }
    }
}

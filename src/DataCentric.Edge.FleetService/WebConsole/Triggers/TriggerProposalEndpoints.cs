using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.FleetService.Api;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>
/// Sign and push with an approval step. The service never holds the fleet's private key: the operator
/// signs the set with <c>edgectl triggers sign</c> on their own machine and uploads the envelope
/// (<c>POST /api/console/triggers/proposals</c>); a second operator sees the diff against the version last
/// published on that target and approves it by naming the envelope's SHA-256
/// (<c>POST .../proposals/{id}/approve</c>); only then is it published retained, through the same code as
/// <c>POST /api/triggers/push</c>. Devices verify the signature and answer with acks (the Fleet feed).
/// Rollback asks a device to go back to the set it ran before, as <c>edgectl triggers rollback</c> does.
/// </summary>
internal sealed class TriggerProposalEndpoints(
    TriggerProposals proposals,
    TriggerPushEndpoint push,
    TriggerSignalSources signals,
    OperatorLink link,
    TimeProvider time,
    IOptions<ConsoleTriggerOptions> options,
    ILogger<TriggerProposalEndpoints> logger)
{
    private const string EnvelopeRequest = "the signed envelope edgectl triggers sign writes {keyId, payload, signature}";
    private const string DecisionRequest = "{envelopeSha256, reason?}";

    public Task<IResult> ListAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        return Task.FromResult(Results.Json(new ApiPage<TriggerProposal>(proposals.List(), null), TriggerConsoleJsonContext.Default.ApiPageTriggerProposal));
    }

    public async Task<IResult> ProposeAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var body = await ConsoleBody.ReadBytesAsync(context, EnvelopeRequest).ConfigureAwait(false);
        var payload = TriggerPushEndpoint.Check(body);
        var envelope = JsonSerializer.Deserialize(body, UplinkJson.TypeInfo<TriggerSetEnvelope>())!;

        // What the devices will compile: a set that cannot is refused now, with every error at line:col.
        var known = signals.ForTarget(payload.Fleet, payload.Target.Scope, payload.Target.Name);
        var (validation, set) = TriggerSetCheck.Run(payload.Source, TriggerSourceFormats.FromWire(payload.Format), known);
        if (!validation.Valid)
        {
            throw new ApiInputException($"the signed set does not compile against {known.From}: {string.Join("; ", validation.Errors.Select(e => e.Text))}");
        }

        if (set is not null && set.Version != payload.Version)
        {
            throw new ApiInputException($"payload field 'version': {payload.Version} differs from the set's own version {set.Version}");
        }

        var topic = TriggerPushEndpoint.TopicOf(payload);
        var previous = proposals.LastPublishedOn(topic);
        var caller = ApiCaller.Of(context)!;
        var proposal = new TriggerProposal(
            Guid.NewGuid().ToString("N")[..12],
            ProposalStates.Pending,
            payload.Fleet,
            payload.Target.Scope.ToString().ToLowerInvariant(),
            payload.Target.Name,
            topic,
            payload.Version,
            envelope.KeyId,
            Convert.ToHexStringLower(SHA256.HashData(body)),
            payload.Source,
            previous?.Version,
            previous?.Source,
            set is null ? validation.Triggers : TriggerSetCheck.Summaries(set),
            caller.Name,
            time.GetUtcNow());
        if (!proposals.TryAdd(new TriggerProposals.Held(proposal, body, payload)))
        {
            return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Too many proposals", $"{options.Value.MaxProposals} proposals are pending ({ConsoleTriggerOptions.SectionName}:MaxProposals); approve or reject some first");
        }

        TriggerConsoleLog.Proposed(logger, proposal.Version, topic, caller.Name, proposal.Id);
        return Results.Json(proposal, TriggerConsoleJsonContext.Default.TriggerProposal, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> ApproveAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var (held, decision, caller) = await DecisionOfAsync(context).ConfigureAwait(false);
        if (held is null)
        {
            return NoSuchProposal(context);
        }

        if (held.Proposal.State != ProposalStates.Pending)
        {
            return NotPending(held.Proposal.Id);
        }

        if (held.Proposal.ProposedBy == caller.Name && !options.Value.AllowSelfApproval)
        {
            return ApiProblems.Forbidden($"proposal {held.Proposal.Id} was uploaded by '{caller.Name}': a second operator must approve it ({ConsoleTriggerOptions.SectionName}:AllowSelfApproval is off)");
        }

        if (!string.Equals(decision.EnvelopeSha256, held.Proposal.EnvelopeSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiInputException($"body field 'envelopeSha256': '{decision.EnvelopeSha256}' is not the SHA-256 of proposal {held.Proposal.Id}'s envelope; reload its diff and confirm again");
        }

        if (!link.IsConfigured)
        {
            return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Service unavailable", OperatorLink.NotConfiguredReason);
        }

        var at = time.GetUtcNow();
        if (!proposals.TryDecide(held.Proposal.Id, p => p with { State = ProposalStates.Publishing, DecidedBy = caller.Name, DecidedAt = at }))
        {
            return NotPending(held.Proposal.Id);
        }

        var (topic, failure) = await push.PublishAsync(held.Envelope, held.Payload, caller.Name, context.RequestAborted).ConfigureAwait(false);
        proposals.Replace(held.Proposal.Id, p => p with { State = failure is null ? ProposalStates.Published : ProposalStates.Failed, Detail = failure });
        if (failure is not null)
        {
            return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Service unavailable", failure);
        }

        TriggerConsoleLog.Approved(logger, held.Proposal.Id, caller.Name, held.Proposal.Version, topic);
        return Results.Json(proposals.Find(held.Proposal.Id)!.Proposal, TriggerConsoleJsonContext.Default.TriggerProposal);
    }

    public async Task<IResult> RejectAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var (held, decision, caller) = await DecisionOfAsync(context).ConfigureAwait(false);
        if (held is null)
        {
            return NoSuchProposal(context);
        }

        var reason = string.IsNullOrWhiteSpace(decision.Reason) ? throw new ApiInputException("body field 'reason': required, say why") : decision.Reason.Trim();
        if (!proposals.TryDecide(held.Proposal.Id, p => p with { State = ProposalStates.Rejected, DecidedBy = caller.Name, DecidedAt = time.GetUtcNow(), Detail = reason }))
        {
            return NotPending(held.Proposal.Id);
        }

        TriggerConsoleLog.Rejected(logger, held.Proposal.Id, caller.Name, reason);
        return Results.Json(proposals.Find(held.Proposal.Id)!.Proposal, TriggerConsoleJsonContext.Default.TriggerProposal);
    }

    /// <summary><c>POST /api/console/devices/{fleet}/{device}/triggers/rollback</c>: the device's own rollback command, answered as edgectl prints it.</summary>
    public async Task<IResult> RollbackAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var fleet = (string)context.Request.RouteValues["fleet"]!;
        var device = (string)context.Request.RouteValues["device"]!;
        if (!link.IsConfigured)
        {
            return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Service unavailable", OperatorLink.NotConfiguredReason);
        }

        CommandReply reply;
        try
        {
            var client = await link.GetClientAsync(context.RequestAborted).ConfigureAwait(false);
            reply = await client.SendAsync(fleet, device, new CommandRequest(CommandNames.RollbackTriggers), link.Options.CommandTimeout, context.RequestAborted).ConfigureAwait(false);
        }
        catch (DeviceNotListeningException e)
        {
            return ApiProblems.Of(StatusCodes.Status409Conflict, "Device offline", $"{fleet}/{device} is offline (not listening for commands): nothing was rolled back. {e.Message}");
        }
        catch (TimeoutException)
        {
            return ApiProblems.Of(StatusCodes.Status504GatewayTimeout, "No answer", $"{fleet}/{device} did not answer the rollback within {link.Options.CommandTimeout}; it may still roll back when it reads the request");
        }
        catch (ArgumentException e)
        {
            throw new ApiInputException($"path parameter '{(e.ParamName == "fleet" ? "fleet" : "device")}': {e.Message}", e);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Service unavailable", $"the broker cannot be reached: {e.Message}");
        }

        var caller = ApiCaller.Of(context)!.Name;
        if (!reply.Ok || reply.Result?.Deserialize(UplinkJson.TypeInfo<RollbackResult>()) is not { } result)
        {
            TriggerConsoleLog.RolledBack(logger, fleet, device, caller, $"refused: {reply.Error}");
            return ApiProblems.Of(StatusCodes.Status409Conflict, "Rollback refused", $"{fleet}/{device} refused the rollback: {reply.Error ?? "no result"}");
        }

        var message = result.RolledBack
            ? $"{device}: rolled back, trigger set {result.ActiveVersion} active"
            : $"{device}: no previous set; trigger set {result.ActiveVersion} stays active";
        TriggerConsoleLog.RolledBack(logger, fleet, device, caller, message);
        return Results.Json(new ConsoleRollback(fleet, device, result.RolledBack, result.ActiveVersion, message), TriggerConsoleJsonContext.Default.ConsoleRollback);
    }

    private async Task<(TriggerProposals.Held? Held, ProposalDecision Decision, ApiCaller Caller)> DecisionOfAsync(HttpContext context)
    {
        var decision = await ConsoleBody.ReadAsync(context, TriggerConsoleJsonContext.Default.ProposalDecision, DecisionRequest).ConfigureAwait(false);
        return (proposals.Find((string)context.Request.RouteValues["proposalId"]!), decision, ApiCaller.Of(context)!);
    }

    private static IResult NoSuchProposal(HttpContext context) =>
        ApiProblems.NotFound($"no proposal '{context.Request.RouteValues["proposalId"]}' (proposals live in the service's memory: a restart forgets them)");

    private static IResult NotPending(string id) =>
        ApiProblems.Of(StatusCodes.Status409Conflict, "Already decided", $"proposal {id} is no longer pending: another operator decided first");
}

using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.WebConsole.Triggers;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>
/// Push a model release from the Models page, with approval, as <c>edgectl models push</c> does from a shell.
/// The service never holds the fleet key: the operator signs with <c>edgectl models sign</c> and uploads the
/// envelope with the ONNX file (<c>POST /api/console/models/proposals</c>); the file is checked against the
/// manifest (size, SHA-256) and kept on disk. A second operator approves by repeating the manifest's name,
/// version and SHA-256 (<c>.../proposals/{id}/approve</c>); then the file's retained chunks and the envelope's
/// exact bytes go out through the operator link. Devices verify the signature and ack every step.
/// </summary>
internal sealed class ModelProposalEndpoints(
    ModelProposals proposals,
    IFleetQueries catalog,
    OperatorLink link,
    TimeProvider time,
    IOptions<ConsoleModelOptions> options,
    IOptions<ConsoleTriggerOptions> approval,
    ILogger<ModelProposalEndpoints> logger)
{
    private const string DecisionRequest = "{name, version, sha256} of the manifest you reviewed, or {reason} to reject";

    public Task<IResult> ListAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        return Task.FromResult(Results.Json(new ApiPage<ModelProposal>(proposals.List(), null), ModelConsoleJsonContext.Default.ApiPageModelProposal));
    }

    public async Task<IResult> ProposeAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var (envelope, release) = ModelReleaseUpload.ReadEnvelope(context.Request);
        var topic = ModelReleaseUpload.TopicOf(release);
        if ((await catalog.ListDevicesAsync(release.Fleet, context.RequestAborted).ConfigureAwait(false)).Count == 0)
        {
            throw new ApiInputException($"payload field 'fleet': no device of fleet '{release.Fleet}' has reported to this service (signed for another fleet?)");
        }

        var id = Guid.NewGuid().ToString("N")[..12];
        var path = Path.Combine(proposals.Folder, id + ModelProposals.FileSuffix);
        var keep = false;
        try
        {
            var (size, sha256) = await ModelReleaseUpload.SaveBodyAsync(context, path, options.Value.MaxModelBytes).ConfigureAwait(false);
            if (size != release.SizeBytes)
            {
                throw new ApiInputException($"the model file is {size} bytes, but payload field 'sizeBytes' says {release.SizeBytes}: not the file that was signed");
            }

            if (!string.Equals(sha256, release.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ApiInputException($"the model file has SHA-256 {sha256}, but payload field 'sha256' says {release.Sha256}: not the file that was signed");
            }

            var now = time.GetUtcNow();
            var proposal = new ModelProposal(
                id, ModelProposalStates.Pending, release.Fleet, release.Target.Scope.ToString().ToLowerInvariant(), release.Target.Name, topic, release.Name, release.Version,
                sha256, size, release.Io, release.LatencyBudgetMs, release.Board, release.MinAgentVersion, TriggerEnvelopeKeyId(envelope), ApiCaller.Of(context)!.Name, now,
                now + options.Value.ProposalLifetime);
            if (proposals.TryAdd(new ModelProposals.Held(proposal, envelope, path)) is { } blocking)
            {
                return ApiProblems.Of(StatusCodes.Status409Conflict, "A proposal is pending",
                    $"proposal {blocking.Id} ({blocking.Name} v{blocking.Version} by {blocking.ProposedBy}) waits for approval in fleet {blocking.Fleet}: approve or reject it first");
            }

            keep = true;
            ModelConsoleLog.Proposed(logger, release.Name, release.Version, topic, proposal.ProposedBy, id);
            return Results.Json(proposal, ModelConsoleJsonContext.Default.ModelProposal, statusCode: StatusCodes.Status201Created);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiProblems.Of(StatusCodes.Status413PayloadTooLarge, "Model too large",
                $"{e.Message}: {ConsoleModelOptions.SectionName}:MaxModelBytes is {options.Value.MaxModelBytes}");
        }
        finally
        {
            if (!keep)
            {
                File.Delete(path);
            }
        }
    }

    public async Task<IResult> ApproveAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var (held, decision, caller) = await DecisionOfAsync(context).ConfigureAwait(false);
        if (held is null)
        {
            return NoSuchProposal(context);
        }

        var proposal = held.Proposal;
        if (proposal.State != ModelProposalStates.Pending)
        {
            return NotPending(proposal);
        }

        if (proposal.ProposedBy == caller && !approval.Value.AllowSelfApproval)
        {
            return ApiProblems.Forbidden($"proposal {proposal.Id} was uploaded by '{caller}': a second operator must approve it ({ConsoleTriggerOptions.SectionName}:AllowSelfApproval is off)");
        }

        Confirm("name", decision.Name, proposal.Name, proposal.Id);
        Confirm("version", decision.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture), proposal.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), proposal.Id);
        Confirm("sha256", decision.Sha256?.ToLowerInvariant(), proposal.Sha256, proposal.Id);
        if (!link.IsConfigured)
        {
            return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Service unavailable", OperatorLink.NotConfiguredReason);
        }

        if (!proposals.TryDecide(proposal.Id, p => p with { State = ModelProposalStates.Publishing, DecidedBy = caller, DecidedAt = time.GetUtcNow() }, removeFile: false))
        {
            return NotPending(proposal);
        }

        try
        {
            // Chunks first: a device that sees the release finds every chunk.
            var client = await link.GetClientAsync(context.RequestAborted).ConfigureAwait(false);
            var chunks = await client.PublishModelChunksAsync(proposal.Fleet, proposal.Sha256, held.ModelFile!, context.RequestAborted).ConfigureAwait(false);
            await client.PublishRetainedAsync(proposal.Topic, held.Envelope, context.RequestAborted).ConfigureAwait(false);
            proposals.Finish(proposal.Id, p => p with { State = ModelProposalStates.Published, Chunks = chunks });
            ModelConsoleLog.Published(logger, proposal.Id, caller, proposal.Name, proposal.Version, chunks, proposal.Topic);
            return Results.Json(proposals.Find(proposal.Id)!.Proposal, ModelConsoleJsonContext.Default.ModelProposal);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException or TimeoutException
            or IOException or UnauthorizedAccessException)
        {
            // The broker failed, or the uploaded file could not be read (removed or damaged on disk): either way not published.
            ModelConsoleLog.PublishFailed(logger, proposal.Id, caller, e);
            var failure = $"{proposal.Name} v{proposal.Version} not published on {proposal.Topic}: {e.Message}; upload it again";
            proposals.Finish(proposal.Id, p => p with { State = ModelProposalStates.Failed, Detail = failure });
            return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Service unavailable", failure);
        }
        catch (Exception e)
        {
            // Never left "publishing" with its file kept: it failed, say so, and let the 500 carry on.
            ModelConsoleLog.PublishFailed(logger, proposal.Id, caller, e);
            proposals.Finish(proposal.Id, p => p with { State = ModelProposalStates.Failed, Detail = $"not published: {e.Message}; upload it again" });
            throw;
        }
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
        if (!proposals.TryDecide(held.Proposal.Id, p => p with { State = ModelProposalStates.Rejected, DecidedBy = caller, DecidedAt = time.GetUtcNow(), Detail = reason }, removeFile: true))
        {
            return NotPending(held.Proposal);
        }

        ModelConsoleLog.Rejected(logger, held.Proposal.Id, caller, reason);
        return Results.Json(proposals.Find(held.Proposal.Id)!.Proposal, ModelConsoleJsonContext.Default.ModelProposal);
    }

    private static void Confirm(string field, string? given, string expected, string id)
    {
        if (given is null)
        {
            throw new ApiInputException($"body field '{field}': required, the manifest's {field} you reviewed");
        }

        if (given != expected)
        {
            throw new ApiInputException($"body field '{field}': '{given}' is not proposal {id}'s '{expected}'; reload it and confirm again");
        }
    }

    private static string TriggerEnvelopeKeyId(byte[] envelope) =>
        System.Text.Json.JsonSerializer.Deserialize(envelope, UplinkJson.TypeInfo<TriggerSetEnvelope>())!.KeyId;

    private async Task<(ModelProposals.Held? Held, ModelProposalDecision Decision, string Caller)> DecisionOfAsync(HttpContext context)
    {
        var decision = await ConsoleBody.ReadAsync(context, ModelConsoleJsonContext.Default.ModelProposalDecision, DecisionRequest).ConfigureAwait(false);
        return (proposals.Find((string)context.Request.RouteValues["proposalId"]!), decision, ApiCaller.Of(context)!.Name);
    }

    private static IResult NoSuchProposal(HttpContext context) =>
        ApiProblems.NotFound($"no model proposal '{context.Request.RouteValues["proposalId"]}' (proposals live in the service's memory: a restart forgets them)");

    private static IResult NotPending(ModelProposal proposal) =>
        ApiProblems.Of(StatusCodes.Status409Conflict, "Not pending", $"model proposal {proposal.Id} is {proposal.State}, no longer pending");
}
